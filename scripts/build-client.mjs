// `npm run build`: bundles the browser client and the demo page into public/client/ with esbuild.
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
// A value import from lib/schemas.ts would pull zod in (+94 KB gzipped); type imports are erased, so this stays 0.
const FORBIDDEN_INPUTS = ["node_modules/zod/"];

/** Builds public/client/{demo-page,feed-client}.js; importable so tests and the dev server can build first. */
export async function buildClient({ logLevel = "info" } = {}) {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { "demo-page": "client/demo/page.ts", "feed-client": "client/feed-client.ts" },
    outdir: "public/client",
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
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildClient();
