// `npm run media:cleanup`: its main() with injected arguments, output and clock, and once spawned for real exit codes.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import type { EnvSource } from "../../lib/env.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, main } from "../../scripts/media-cleanup.js";
import { createFakeCloudinary, type FakeCloudinary } from "../support/fake-cloudinary-admin.js";
import { API_SECRET, feedId, HOUR, isoAgo, NOW, storeLivePost, testConfig } from "../support/media-cleanup-fixtures.js";
import { useMswServer } from "../support/msw-server.js";

const server = useMswServer();

const ENV: EnvSource = { CLOUDINARY_URL: `cloudinary://key-123:${API_SECRET}@demo` };
let cloudinary: FakeCloudinary;
let store: MemoryStore;
beforeEach(() => {
  cloudinary = createFakeCloudinary(testConfig().media, { pageSize: 2 });
  server.use(...cloudinary.handlers);
  store = new MemoryStore(() => NOW);
});

async function run(args: string[], options: { env?: EnvSource; withStore?: boolean } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const waits: number[] = [];
  const code = await main(args, {
    env: options.env ?? ENV,
    store: options.withStore === false ? undefined : store,
    now: () => NOW,
    sleep: async (ms) => {
      waits.push(ms);
    },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join("\n"), err: err.join("\n"), waits };
}

const media = (n: number, ageMs: number, type: "image" | "video" = "image", bytes = 2048) => ({
  publicId: feedId(n),
  type,
  createdAt: isoAgo(ageMs),
  bytes,
});

describe("preview (no --apply)", () => {
  it("prints a table of candidates and a total, deletes nothing and exits 0", async () => {
    cloudinary.add(media(1, 5 * HOUR), media(2, 3 * HOUR, "video", 3 * 1024 * 1024), media(3, 30 * 60_000));
    await storeLivePost(store, feedId(4));
    cloudinary.add(media(4, 3 * HOUR));
    const { code, out } = await run([]);
    expect(code).toBe(EXIT_OK);
    const lines = out.split("\n");
    const header = lines.findIndex((line) => line.startsWith("TYPE"));
    expect(lines[header]).toMatch(/^TYPE\s+UPLOADED\s+AGE\s+SIZE\s+PUBLIC ID$/);
    // Oldest first; the 30-minute-old upload and the live post's media are not listed.
    expect(lines[header + 1]).toMatch(
      new RegExp(`^image\\s+${isoAgo(5 * HOUR)}\\s+5h 00m\\s+2\\.0 KB\\s+${feedId(1)}$`),
    );
    expect(lines[header + 2]).toMatch(new RegExp(`^video\\s+.*3h 00m\\s+3\\.0 MB\\s+${feedId(2)}$`));
    expect(out).not.toContain(feedId(3));
    expect(out).not.toContain(feedId(4));
    expect(out).toContain("Total: 2 files, 3.0 MB (scanned 4; 1 kept because a live post still shows it).");
    expect(out).toContain("Dry run: nothing was deleted. Add --apply to delete these 2 files.");
    expect(cloudinary.deletes()).toHaveLength(0);
  });

  // Seconds as well, read as AUTH_MAX_TOKEN_AGE is (lib/duration.ts).
  it.each(["4h", "14400s"])("honours --older-than %s", async (olderThan) => {
    cloudinary.add(media(1, 5 * HOUR), media(2, 3 * HOUR));
    const { code, out } = await run(["--older-than", olderThan]);
    expect(code).toBe(EXIT_OK);
    expect(out).toContain(feedId(1));
    expect(out).not.toContain(feedId(2));
    expect(out).toContain(`older than ${olderThan}`);
  });

  it("says so and exits 0 when nothing is old enough", async () => {
    cloudinary.add(media(1, HOUR));
    const { code, out } = await run(["--apply"]);
    expect(code).toBe(EXIT_OK);
    expect(out).toContain("No feed media on Cloudinary is old enough to clean up.");
    expect(cloudinary.deletes()).toHaveLength(0);
  });
});

describe("--apply", () => {
  it("deletes in batches by type, shows progress and ends with a summary, exit 0", async () => {
    const images = Array.from({ length: 120 }, (_, i) => media(i, 3 * HOUR));
    cloudinary.add(...images, media(500, 3 * HOUR, "video"));
    const { code, out } = await run(["--apply"]);
    expect(code).toBe(EXIT_OK);
    expect(out).toContain("Deleting 121 files...");
    expect(out).toContain("batch 1/3 (image, 100 ids): 100 deleted, 0 already gone");
    expect(out).toContain("batch 2/3 (image, 20 ids): 20 deleted, 0 already gone");
    expect(out).toContain("batch 3/3 (video, 1 id): 1 deleted, 0 already gone");
    expect(out).toContain("Done: 121 deleted, 0 already gone, 0 failed.");
    expect(images.some((m) => cloudinary.has("image", m.publicId))).toBe(false);
  });

  it("backs off when Cloudinary rate-limits, then finishes", async () => {
    cloudinary.add(media(1, 3 * HOUR));
    const reset = new Date(NOW + 20_000).toUTCString();
    cloudinary.script({ status: 420, method: "DELETE", headers: { "X-FeatureRateLimit-Reset": reset } });
    const { code, err, out, waits } = await run(["--apply"]);
    expect(code).toBe(EXIT_OK);
    expect(err).toMatch(/Cloudinary rate limit reached: waiting 2\d s/);
    expect(waits).toHaveLength(1);
    expect(out).toContain("Done: 1 deleted");
  });

  it("exits 1 naming when to retry once the rate limit is spent", async () => {
    cloudinary.add(media(1, 3 * HOUR));
    const reset = new Date(NOW + HOUR).toUTCString();
    cloudinary.script({ status: 420, method: "DELETE", headers: { "X-FeatureRateLimit-Reset": reset } });
    const { code, err } = await run(["--apply"]);
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toContain("rate limit is spent until about");
    expect(err).toContain("nothing more was deleted");
  });

  it("exits 1 when some deletes fail", async () => {
    cloudinary.add(media(1, 3 * HOUR), media(2, 3 * HOUR));
    cloudinary.failing.add(feedId(2));
    const { code, out, err } = await run(["--apply"]);
    expect(code).toBe(EXIT_FAILURE);
    expect(out).toContain("Done: 1 deleted, 0 already gone, 1 failed.");
    expect(err).toContain("1 file could not be deleted");
  });

  it("refuses to delete without Redis, since live posts cannot be checked (exit 2)", async () => {
    cloudinary.add(media(1, 3 * HOUR));
    const { code, err } = await run(["--apply"], { withStore: false });
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain("No Redis configured");
    expect(cloudinary.calls).toHaveLength(0);
  });
});

describe("failures", () => {
  it("exits 1 with a clear message, no stack and no secret, when Cloudinary errs", async () => {
    cloudinary.script({ status: 500, body: { error: { message: "boom inside cloudinary" } } });
    const { code, err } = await run([]);
    expect(code).toBe(EXIT_FAILURE);
    expect(err).toContain("Cloudinary's Admin API did not answer usably");
    expect(err).toContain("answered 500");
    expect(err).not.toContain("boom inside");
    expect(err).not.toContain(API_SECRET);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it.each([
    [["--older-than", "30m"], "at least 1h"],
    [["--older-than", "two hours"], "is not a duration"],
    [["--yes"], "Unknown option"],
    [["feed/x"], "Unexpected argument"],
  ])("exits 2 with usage for %j", async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain(message);
    expect(err).toContain("Usage: npm run media:cleanup");
    expect(cloudinary.calls).toHaveLength(0);
  });

  it("exits 2 with every configuration problem", async () => {
    const { code, err } = await run([], { env: { CLOUDINARY_URL: "cloudinary://only-a-cloud" } });
    expect(code).toBe(EXIT_USAGE);
    expect(err).toContain("CLOUDINARY_URL must look like");
  });
});

describe("as a process", () => {
  const exec = promisify(execFile);
  // Node with tsx's loader directly: npx would add seconds of start-up per run.
  const spawnCli = (args: string[]) =>
    exec(process.execPath, ["--import", "tsx", "scripts/media-cleanup.ts", ...args], { timeout: 30_000 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it("exits 0 with --help and 2 on a bad argument", async () => {
    const [help, bad] = await Promise.all([spawnCli(["--help"]), spawnCli(["--older-than", "5m"])]);
    expect(help.code).toBe(EXIT_OK);
    expect(help.stdout).toContain("Exit codes:");
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.stderr).toContain("--older-than: must be at least 1h");
  });
});
