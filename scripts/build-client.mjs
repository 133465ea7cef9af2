// `npm run build`: bundles the browser client and the demo page into public/client/ with esbuild, under content-hashed
// names (so they can be cached for a year), and writes public/index.html pointing at them.
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
const OUT_DIR = "public/client";
// A value import from lib/schemas.ts would pull zod in (+94 KB gzipped); type imports are erased, so this stays 0.
const FORBIDDEN_INPUTS = ["node_modules/zod/"];
// Each entry and the name the page template (client/demo/index.html) refers to it by.
const ENTRIES = {
  "demo-page": { source: "client/demo/page.ts", placeholder: "/client/demo-page.js" },
  "demo-style": { source: "client/demo/styles/page.css", placeholder: "/client/demo-style.css" },
  "feed-client": { source: "client/feed-client.ts", placeholder: "/client/feed-client.js" },
};

/**
 * Builds public/client/<entry>-<hash>.{js,css}, public/index.html from the page template, and public/feed-client.js:
 * a stable address for host apps that re-exports the hashed SDK. Importable so tests and the dev server build first.
 */
export async function buildClient({ logLevel = "info" } = {}) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, entry]) => [name, entry.source])),
    entryNames: "[name]-[hash]",
    outdir: OUT_DIR,
    bundle: true,
    format: "esm",
    platform: "browser",
    // Browsers from 2021 on; the client uses nothing newer (no URLSearchParams.size, no AbortSignal.any).
    target: ["chrome100", "firefox100", "safari15"],
    minify: true,
    sourcemap: true,
    metafile: true,
    logLevel,
  });
  const leaked = Object.keys(result.metafile.inputs).filter((input) => FORBIDDEN_INPUTS.some((f) => input.includes(f)));
  if (leaked.length > 0) throw new Error(`The browser bundle must not include ${leaked.join(", ")}`);

  const urls = hashedUrls(result.metafile);
  let html = await readFile(resolve(ROOT, "client/demo/index.html"), "utf8");
  for (const [name, entry] of Object.entries(ENTRIES)) html = html.replaceAll(entry.placeholder, urls[name]);
  await writeAtomically("public/index.html", html);
  const sdk = `// The feed's browser client; the file it re-exports is content-hashed and cached for a year.\nexport * from "${urls["feed-client"]}";\n`;
  await writeAtomically("public/feed-client.js", sdk);
  await removeStale(result.metafile);
  return result;
}

/** A server running meanwhile serves the old file or the new one, never half of one. */
async function writeAtomically(path, text) {
  const temporary = resolve(ROOT, `${path}.${process.pid}.tmp`);
  await writeFile(temporary, text);
  await rename(temporary, resolve(ROOT, path));
}

/**
 * Old hashes would pile up otherwise. They go only after the new files are in place: an unchanged bundle keeps its
 * name (the hash is of its content), so a page being served meanwhile never misses a file.
 */
async function removeStale(metafile) {
  const current = new Set(Object.keys(metafile.outputs).map((output) => basename(output)));
  const present = await readdir(resolve(ROOT, OUT_DIR));
  await Promise.all(
    present.filter((name) => !current.has(name)).map((name) => rm(resolve(ROOT, OUT_DIR, name), { force: true })),
  );
}

/** "/client/demo-page-ABCD1234.js" for each entry, from esbuild's metafile. */
function hashedUrls(metafile) {
  const urls = {};
  for (const [output, info] of Object.entries(metafile.outputs)) {
    const entry = Object.entries(ENTRIES).find(([, { source }]) => info.entryPoint === source);
    if (entry) urls[entry[0]] = `/client/${basename(output)}`;
  }
  const missing = Object.keys(ENTRIES).filter((name) => !urls[name]);
  if (missing.length > 0) throw new Error(`esbuild wrote no output for ${missing.join(", ")}`);
  return urls;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildClient();
