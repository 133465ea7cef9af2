// The package as a user gets it: `npm pack` at the root (its prepack builds dist/), then the tarball installed into an
// example with npm, so a file missing from `files` or `exports` fails the example's test.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, "../../..");
// dist/ is shared by every pack: test files packing at once take turns (a directory is created atomically).
const LOCK = join(ROOT, ".tmp/pack.lock");
// A pack that holds the lock longer than this was killed half-way; its lock is stale.
const STALE_LOCK_MS = 120_000;
const NPM_QUIET = ["--no-audit", "--no-fund", "--loglevel=error"];

async function withPackLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** A fresh tarball of the current sources, in a directory of this process's own. */
export function packFeed(): Promise<string> {
  return withPackLock(async () => {
    const destination = join(ROOT, ".tmp/pack", String(process.pid));
    rmSync(destination, { recursive: true, force: true });
    mkdirSync(destination, { recursive: true });
    await run("npm", ["pack", "--pack-destination", destination, ...NPM_QUIET], { cwd: ROOT });
    const [tarball] = readdirSync(destination).filter((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack wrote no tarball");
    return join(destination, tarball);
  });
}

/**
 * The example's own dependencies from its committed lockfile (again only when the lockfile changed since), then the
 * tarball on top, unsaved, so the example's package.json and lockfile stay as committed.
 */
export async function installExample(exampleDir: string, tarball: string): Promise<void> {
  const installed = join(exampleDir, "node_modules/.package-lock.json");
  const lockfile = join(exampleDir, "package-lock.json");
  if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lockfile).mtimeMs) {
    await run("npm", ["ci", ...NPM_QUIET], { cwd: exampleDir, maxBuffer: 16 * 1024 * 1024 });
  }
  await run("npm", ["install", "--no-save", ...NPM_QUIET, tarball], { cwd: exampleDir, maxBuffer: 16 * 1024 * 1024 });
}

/** Packs the current sources and installs the tarball into the example; the tarball is not kept. */
export async function installPackedFeed(exampleDir: string): Promise<void> {
  const tarball = await packFeed();
  try {
    await installExample(exampleDir, tarball);
  } finally {
    rmSync(dirname(tarball), { recursive: true, force: true });
  }
}
