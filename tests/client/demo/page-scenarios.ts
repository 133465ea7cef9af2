// The demo page as a whole: media and long captions on their cards, the sticky side column, axe-core at desktop and
// phone sizes signed out and in, and screenshots of each in .tmp/ for people to look at.
import { describe, expect, it } from "vitest";
import { axeViolations } from "./axe.js";
import { DESKTOP, PHONE, scenePng, sceneWebm, signIn } from "./browser.js";
import type { DemoRun } from "./demo-run.js";
import { postThroughApi } from "./feed-api.js";
import { postWith, recordRequests, screenshot } from "./page-helpers.js";

// The longest caption the API accepts: 2,200 characters of ordinary prose.
const LONG_CAPTION = "The tide went out further than anyone remembered, and the whole town walked on the sand. "
  .repeat(30)
  .slice(0, 2200);
// A right-to-left override with no end: without isolation it could run on into whatever follows the caption.
const OVERRIDE_CAPTION = "\u202Eevil override, never closed";

/** Three posts: a photo with the longest caption, a video with an override in its caption, and a short one. */
async function seedFeed(run: DemoRun): Promise<void> {
  const photo = (sky: [string, string]) =>
    scenePng(run.browser, sky).then((buffer) => ({ name: "p.png", mimeType: "image/png", buffer }));
  const video = { name: "clip.webm", mimeType: "video/webm", buffer: await sceneWebm(run.browser) };
  await postThroughApi(run.baseUrl, { name: "Hedy" }, LONG_CAPTION, await photo(["#fb923c", "#9a3412"]));
  await postThroughApi(run.baseUrl, { name: "Alan" }, OVERRIDE_CAPTION, video);
  await postThroughApi(run.baseUrl, { name: "Grace" }, "Harbour lights", await photo(["#6366f1", "#1e1b4b"]));
}

export function describePage(run: DemoRun): void {
  describe("the page", () => {
    it("delivers video with a poster, clamps long captions behind a toggle, isolates captions, and sticks the side column", async () => {
      await seedFeed(run);
      const page = await run.open();
      const videoBytes = recordRequests(page, [".webm"]);
      await page.goto(run.baseUrl);
      const video = postWith(page, "evil override").locator("video");
      await video.waitFor({ timeout: 10_000 });
      // Nothing of the video itself is fetched until someone presses play; its poster stands in.
      expect(videoBytes).toEqual([]);
      expect(await video.getAttribute("src")).toMatch(/\/video\/upload\/f_auto,q_auto,c_limit,w_\d+\//);
      expect(await video.getAttribute("poster")).toMatch(/\/video\/upload\/so_0,f_auto,q_auto,c_limit,w_\d+\/.*\.jpg$/);
      expect(await video.getAttribute("preload")).toBe("none");
      expect(await video.evaluate((node: HTMLVideoElement) => [node.controls, node.playsInline])).toEqual([true, true]);

      const override = postWith(page, "evil override").locator(".post-caption");
      expect(await override.textContent()).toBe(OVERRIDE_CAPTION);
      expect(await override.getAttribute("dir")).toBe("auto");
      expect(await override.evaluate((node) => getComputedStyle(node).unicodeBidi)).toBe("isolate");

      const long = postWith(page, "The tide went out");
      expect((await long.boundingBox())?.height).toBeLessThan(DESKTOP.height);
      // The same button, renamed "Show less" once open.
      const more = long.locator(".caption-toggle");
      expect(await more.textContent()).toBe("Show more");
      expect(await more.getAttribute("aria-expanded")).toBe("false");
      await more.click();
      expect(await more.getAttribute("aria-expanded")).toBe("true");
      expect(await more.textContent()).toBe("Show less");
      expect((await long.boundingBox())?.height).toBeGreaterThan(DESKTOP.height);
      expect(await long.locator(".post-caption").textContent()).toBe(LONG_CAPTION);

      // Scrolled well down the feed, the side column is still in view below the top bar.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
      const sideTop = (await page.locator(".side").boundingBox())?.y ?? Number.NaN;
      expect(sideTop).toBeGreaterThan(60);
      expect(sideTop).toBeLessThan(100);
    }, 40_000);

    for (const [size, viewport] of [
      ["desktop", DESKTOP],
      ["phone", PHONE],
    ] as const) {
      it(`has no axe violations at ${viewport.width}×${viewport.height}, signed out and signed in`, async () => {
        // Only this context bypasses the page's CSP, so axe can be injected; the page itself is served unchanged.
        const page = await run.open({ viewport, bypassCSP: true });
        await page.goto(run.baseUrl);
        await page.getByLabel("Name").waitFor();
        await postWith(page, "Harbour lights")
          .locator("img.media-main")
          .evaluate((img: HTMLImageElement) => img.decode());
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `demo-signed-out-${size}`);

        await signIn(page, run.baseUrl, "Ada");
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `demo-signed-in-${size}`);
        if (viewport === PHONE) {
          await page.getByRole("button", { name: "New post" }).click();
          expect(await axeViolations(page)).toEqual([]);
          await screenshot(page, "demo-composer-phone");
        }
        await screenshot(page, `demo-signed-in-${size}-full`, { fullPage: true });
      });
    }
  });
}
