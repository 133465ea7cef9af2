// examples/next-app, installed from the packed tarball: `next build`, then `next start` (production) against a real
// Redis and the Cloudinary stand-in. The feed's contract holds on its catch-all route, and the page's stories tray,
// built from ephemeral-feed/client, shows a published post in Chromium.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueDevToken } from "../../lib/auth.js";
import { launchChromium } from "../client/demo/browser.js";
import { freePort, type RedisServer, startRedisServer } from "../support/redis-server.js";
import { type CloudinaryStandIn, startCloudinaryStandIn } from "./support/cloudinary-stand-in.js";
import { type Caller, checkFeedContract, publishThroughHost } from "./support/feed-contract.js";
import { type HostProcess, startHost } from "./support/host-process.js";
import { installPackedFeed, ROOT } from "./support/packed-feed.js";

const EXAMPLE = join(ROOT, "examples/next-app");
const NEXT = join(EXAMPLE, "node_modules/next/dist/bin/next");
const AUTH_JWT_SECRET = "next-example-secret-that-is-at-least-32-chars";
// No telemetry calls from a build or a server under test.
const NEXT_ENV = { NEXT_TELEMETRY_DISABLED: "1" };

let redis: RedisServer;
let cloudinary: CloudinaryStandIn;
let host: HostProcess;
let browser: Browser | undefined;

beforeAll(async () => {
  await installPackedFeed(EXAMPLE);
  await promisify(execFile)(process.execPath, [NEXT, "build"], {
    cwd: EXAMPLE,
    env: { ...process.env, ...NEXT_ENV },
    maxBuffer: 16 * 1024 * 1024,
  });
  [redis, cloudinary] = await Promise.all([startRedisServer(), startCloudinaryStandIn()]);
  const port = await freePort();
  host = await startHost({
    command: process.execPath,
    args: [NEXT, "start", "--port", String(port), "--hostname", "127.0.0.1"],
    cwd: EXAMPLE,
    env: {
      ...NEXT_ENV,
      NODE_ENV: "production",
      REDIS_URL: redis.url,
      CLOUDINARY_URL: cloudinary.cloudinaryUrl,
      AUTH_JWT_SECRET,
    },
    port,
    readyPath: "/api/feed/people",
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await cloudinary?.close();
  await redis?.stop();
});

async function callerFor(userId: string, username: string): Promise<Caller> {
  const token = await issueDevToken(AUTH_JWT_SECRET, { userId, username });
  return { headers: { authorization: `Bearer ${token}` }, userId };
}

describe("examples/next-app", () => {
  it("holds the feed's HTTP contract on the catch-all route, with the app's JWTs", async () => {
    await checkFeedContract(host.baseUrl, await callerFor("ada", "Ada"), { headers: {}, userId: "" });
    const options = await fetch(`${host.baseUrl}/api/feed`, { method: "OPTIONS" });
    expect(options.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
  });

  it("shows a published post in the page's stories tray and in that person's posts", async () => {
    const post = await publishThroughHost(host.baseUrl, await callerFor("bo", "Bo"), "Sunset over the harbour");
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(host.baseUrl);
    await page.getByRole("button", { name: "Bo (1)" }).click();
    const viewer = page.getByRole("region", { name: "Posts by Bo" });
    await viewer.getByText("Sunset over the harbour").waitFor();
    expect(await viewer.locator(`[data-post-id="${post.id}"]`).count()).toBe(1);
    expect(await page.getByRole("region", { name: "Feed" }).getByText("Sunset over the harbour").count()).toBe(1);
    expect(errors).toEqual([]);
  });
});

describe("the package's types", () => {
  it("type-check a TypeScript host of every entry (TypeScript 5.9, strict, NodeNext)", async () => {
    // Inside the example, so "ephemeral-feed" resolves to the tarball installed there; removed afterwards.
    const dir = join(EXAMPLE, ".types-check");
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(ROOT, "tests/examples/fixtures/typed-host.ts"), join(dir, "typed-host.ts"));
    const tsc = join(EXAMPLE, "node_modules/typescript/bin/tsc");
    const flags = ["--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext"];
    const settings = [...flags, "--target", "es2022", "--lib", "es2023,dom", "--types", "node", "--skipLibCheck"];
    try {
      const run = promisify(execFile)(process.execPath, [tsc, ...settings, join(dir, "typed-host.ts")], {
        cwd: EXAMPLE,
      });
      await expect(run.catch((error) => Promise.reject(new Error(error.stdout)))).resolves.toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
