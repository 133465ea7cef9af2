// The demo page in real Chromium against `npm run dev`: two people post and watch each other, captions stay text,
// countdowns tick, posts leave at expiry without the server, and authors delete their own posts.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Post } from "../../lib/schemas.js";
import { launchChromium, scenePng, signIn } from "./browser.js";
import { type DevServer, startDevServer } from "./dev-server.js";

const SCREENSHOT_DIR = resolve(import.meta.dirname, "../../.tmp");
// Markup that would run or render if the page ever put a caption into innerHTML.
const HTML_CAPTION = `Sunset <b>bold</b> <img src=x onerror="window.__pwned=1"> & "friends"`;

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const feedOf = (page: Page) => page.getByRole("list", { name: "Feed" });
const postWith = (page: Page, text: string) => feedOf(page).getByRole("listitem").filter({ hasText: text });

async function serverPostIds(): Promise<string[]> {
  const page = (await (await fetch(`${server.baseUrl}/api/feed?limit=100`)).json()) as { items: Post[] };
  return page.items.map((post) => post.id);
}

/** Posts straight through the HTTP API, as another app would, to set up a post without a second browser. */
async function postThroughApi(name: string, text: string, png: Buffer): Promise<Post> {
  const call = async (path: string, body: unknown, token?: string) => {
    const headers = { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(`${server.baseUrl}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    return response.json();
  };
  const { token } = await call("/api/dev/sign-in", { name });
  const { uploadUrl, fields } = await call("/api/feed/upload-signature", { mediaType: "image" }, token);
  const form = new FormData();
  for (const [key, value] of Object.entries(fields as Record<string, string>)) form.append(key, value);
  form.append("file", new File([new Uint8Array(png)], "scene.png", { type: "image/png" }));
  const upload = await (await fetch(uploadUrl, { method: "POST", body: form })).json();
  return call("/api/feed", { text, upload }, token);
}

// A real browser on a shared 2-core machine: the steps wait up to 15 s each, so the test needs more than the default.
describe("the demo page in Chromium", { timeout: 90_000 }, () => {
  it("lets two people post, see each other's posts live with countdowns, and delete their own", async () => {
    const ada = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const grace = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    const errors: string[] = [];
    for (const page of [ada, grace]) page.on("pageerror", (error) => errors.push(error.message));
    await signIn(ada, server.baseUrl, "Ada");
    await signIn(grace, server.baseUrl, "Grace");
    // A marker that a reload would wipe: Grace must see Ada's post on the page she already has open.
    await grace.evaluate(() => Object.assign(window, { __sameDocument: true }));

    // A wrong file type is refused with a readable message before anything is uploaded.
    await ada
      .getByLabel("Photo or video")
      .setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hi") });
    expect(await ada.getByRole("alert").filter({ hasText: "Choose a photo or a video" }).textContent()).toContain(
      "text/plain",
    );

    // Padding after the PNG's end (decoders ignore it) and a throttled uplink make the upload take ~2 s, so the
    // progress bar must show real intermediate values from XHR, not just 0 and 100.
    const paddedPng = Buffer.concat([await scenePng(browser, ["#f97316", "#7c3aed"]), Buffer.alloc(400_000)]);
    await ada
      .getByLabel("Photo or video")
      .setInputFiles({ name: "sunset.png", mimeType: "image/png", buffer: paddedPng });
    const cdp = await ada.context().newCDPSession(ada);
    const throttle = (uploadThroughput: number) =>
      cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput,
      });
    await throttle(200_000);
    await ada.getByLabel("Caption").fill(HTML_CAPTION);
    await ada.evaluate(() => {
      const bar = document.getElementById("upload-progress") as HTMLProgressElement;
      const seen: number[] = [];
      Object.assign(window, { __progress: seen });
      new MutationObserver(() => seen.push(bar.value)).observe(bar, { attributeFilter: ["value"] });
    });
    await ada.getByRole("button", { name: "Post", exact: true }).click();

    const adasPost = postWith(ada, "Sunset");
    await adasPost.waitFor({ timeout: 15_000 });
    await throttle(-1);
    const progress = await ada.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
    expect(progress).toContain(100);
    expect(progress.some((value) => value > 0 && value < 100)).toBe(true);
    expect(await ada.getByRole("progressbar").isVisible()).toBe(false);
    // The caption is exactly the text typed, with no element made from it and no script run.
    expect(await adasPost.locator(".post-caption").textContent()).toBe(HTML_CAPTION);
    expect(await adasPost.locator(".post-caption *").count()).toBe(0);
    expect(await adasPost.locator("img").count()).toBe(1);
    await adasPost.locator("img").evaluate((img: HTMLImageElement) => img.decode());
    expect(await adasPost.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(800);
    expect(await adasPost.locator("time").textContent()).toBe("59m left");
    expect(await adasPost.getByText("Ada", { exact: true }).count()).toBe(1);

    // Grace's open page picks the post up by polling, within a few seconds and without reloading.
    const seenByGrace = postWith(grace, "Sunset");
    await seenByGrace.waitFor({ timeout: 10_000 });
    expect(await grace.evaluate(() => "__sameDocument" in window)).toBe(true);
    expect(await seenByGrace.locator(".post-caption").textContent()).toBe(HTML_CAPTION);
    expect(
      await seenByGrace.locator("img").evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth)),
    ).toBe(800);
    expect(await seenByGrace.locator("time").textContent()).toMatch(/^59m left$/);
    expect(await seenByGrace.getByRole("button", { name: "Delete" }).count()).toBe(0);

    // And the other way round: Grace posts, Ada sees it on top, newest first.
    await grace.getByLabel("Photo or video").setInputFiles({
      name: "dusk.png",
      mimeType: "image/png",
      buffer: await scenePng(browser, ["#0ea5e9", "#1e3a8a"]),
    });
    await grace.getByLabel("Caption").fill("Blue hour from the pier");
    await grace.getByRole("button", { name: "Post", exact: true }).click();
    await postWith(ada, "Blue hour").waitFor({ timeout: 10_000 });
    expect(await feedOf(ada).getByRole("listitem").first().textContent()).toContain("Blue hour");
    await postWith(ada, "Blue hour")
      .locator("img")
      .evaluate((img: HTMLImageElement) => img.decode());

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await ada.screenshot({ path: `${SCREENSHOT_DIR}/demo-page.png`, fullPage: true });
    await grace.screenshot({ path: `${SCREENSHOT_DIR}/demo-page-mobile.png`, fullPage: true });
    expect(errors).toEqual([]);
    expect(await ada.evaluate(() => "__pwned" in window)).toBe(false);

    // Ada deletes her post: gone from her page at once, from Grace's within a poll, and from the server.
    await adasPost.getByRole("button", { name: "Delete" }).click();
    await adasPost.waitFor({ state: "detached" });
    await seenByGrace.waitFor({ state: "detached", timeout: 10_000 });
    expect(await postWith(grace, "Blue hour").count()).toBe(1);
  }, 90_000);

  it("counts down every second and drops a post at expiry while the server still lists it", async () => {
    const page = await (await browser.newContext()).newPage();
    // The page's clock runs normally until fast-forwarded; the server's clock is untouched.
    await page.clock.install();
    await page.goto(server.baseUrl);
    const post = await postThroughApi("Linus", "Countdown check", await scenePng(browser, ["#22c55e", "#14532d"]));
    const item = postWith(page, "Countdown check");
    await item.waitFor({ timeout: 10_000 });
    expect(await item.locator("time").textContent()).toBe("59m left");

    await page.clock.fastForward("59:00");
    const before = Number((await item.locator("time").textContent())?.match(/^(\d+)s left$/)?.[1]);
    expect(before).toBeGreaterThan(2);
    await page.clock.runFor(2000);
    expect(await item.locator("time").textContent()).toBe(`${before - 2}s left`);

    await page.clock.fastForward(before * 1000 + 1000);
    await item.waitFor({ state: "detached" });
    expect(await serverPostIds()).toContain(post.id);
  }, 60_000);

  it("explains how a host app passes its token when the dev sign-in is not offered", async () => {
    const page = await (await browser.newContext()).newPage();
    // What a deployment with AUTH_JWT_SECRET answers: no dev sign-in.
    await page.route("**/api/dev/sign-in", (route) =>
      route.fulfill({ status: 404, json: { error: { code: "not_found", message: "Sign in through the host app." } } }),
    );
    await page.goto(server.baseUrl);
    await page.getByRole("heading", { name: "Sign in through your app" }).waitFor();
    expect(await page.getByText("getToken").count()).toBe(1);
    expect(await page.getByLabel("Name").isVisible()).toBe(false);
    expect(await feedOf(page).isVisible()).toBe(true);
  });
});
