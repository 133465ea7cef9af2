// Posting from the demo page: two people see each other live, delivery URLs, focus after Post and Cancel, the phone's
// compact composer, and the real-format check refusing a file before any upload request.
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PHONE, scenePng, signIn } from "./browser.js";
import type { DemoRun } from "./demo-run.js";
import { countTextWrites, feedOf, focusedElement, postWith, recordRequests, throttleUpload } from "./page-helpers.js";

// Markup that would run or render if the page ever put a caption into innerHTML.
const HTML_CAPTION = `Sunset <b>bold</b> <img src=x onerror="window.__pwned=1"> & "friends"`;

const focusedPostText = (page: Page) => page.evaluate(() => document.activeElement?.closest(".post")?.textContent);

/** Posts a padded PNG over a throttled uplink (~2 s), so the bar must show real intermediate progress from XHR. */
async function postWithProgress(run: DemoRun, page: Page, caption: string): Promise<Locator> {
  const paddedPng = Buffer.concat([await scenePng(run.browser, ["#f97316", "#7c3aed"]), Buffer.alloc(400_000)]);
  await page
    .getByLabel("Photo or video")
    .setInputFiles({ name: "sunset.png", mimeType: "image/png", buffer: paddedPng });
  await throttleUpload(page, 200_000);
  await page.getByLabel("Caption").fill(caption);
  await page.evaluate(() => {
    const bar = document.getElementById("upload-progress") as HTMLProgressElement;
    const seen: number[] = [];
    Object.assign(window, { __progress: seen });
    new MutationObserver(() => seen.push(bar.value)).observe(bar, { attributeFilter: ["value"] });
  });
  await page.getByRole("button", { name: "Post", exact: true }).click();
  // Post is disabled while the upload runs: focus moves to Cancel rather than dropping to <body>.
  expect(await focusedElement(page)).toBe("BUTTON #cancel-upload");
  const posted = postWith(page, caption.slice(0, 10));
  await posted.waitFor({ timeout: 15_000 });
  await throttleUpload(page, -1);
  const progress = await page.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
  expect(progress).toContain(100);
  expect(progress.some((value) => value > 0 && value < 100)).toBe(true);
  expect(await page.getByRole("progressbar").isVisible()).toBe(false);
  return posted;
}

/** Width-limited f_auto,q_auto copies, lazy, in a frame of the photo's own shape that is sized before they arrive. */
async function expectDeliveryImage(image: Locator): Promise<void> {
  const srcset = (await image.getAttribute("srcset")) ?? "";
  expect(srcset.split(", ").length).toBeGreaterThan(1);
  for (const candidate of srcset.split(", ")) expect(candidate).toMatch(/\/f_auto,q_auto,c_limit,w_(\d+)\/.* \1w$/);
  expect(await image.getAttribute("src")).toContain("/f_auto,q_auto,c_limit,w_");
  expect(await image.getAttribute("sizes")).toBeTruthy();
  expect([await image.getAttribute("loading"), await image.getAttribute("decoding")]).toEqual(["lazy", "async"]);
  // The browser picked a width-limited candidate and decoded it (the local stand-in serves the original's bytes).
  const shown = await image.evaluate((img: HTMLImageElement) => img.decode().then(() => img.currentSrc));
  expect(srcset.split(", ").map((candidate) => candidate.split(" ")[0])).toContain(shown);
  // The frame has its height before the photo loads (a default shape, then the tiny placeholder's), and now has
  // the photo's own aspect ratio (800×520 here): no empty bands.
  const frame = image.locator("xpath=..");
  const frameRatio = async () => {
    const box = (await frame.boundingBox()) ?? { width: 0, height: 1 };
    return box.width / box.height;
  };
  await expect.poll(frameRatio).toBeCloseTo(800 / 520, 1);
  const { width, height } = (await frame.boundingBox()) ?? { width: 0, height: 0 };
  const drawn = (await image.boundingBox()) ?? { width: 0, height: 0 };
  expect([Math.round(drawn.width), Math.round(drawn.height)]).toEqual([Math.round(width), Math.round(height)]);
}

/** On a phone the composer is one row until "New post" opens it; after posting it folds again. */
async function postFromPhone(run: DemoRun, page: Page, caption: string): Promise<void> {
  expect((await page.locator("#composer").boundingBox())?.height).toBeLessThan(120);
  expect((await feedOf(page).getByRole("listitem").first().boundingBox())?.y).toBeLessThan(PHONE.height / 2);
  const newPost = page.getByRole("button", { name: "New post" });
  expect(await newPost.getAttribute("aria-expanded")).toBe("false");
  await newPost.click();
  expect(await newPost.getAttribute("aria-expanded")).toBe("true");
  expect(await focusedElement(page)).toBe("INPUT #media");
  const dusk = await scenePng(run.browser, ["#0ea5e9", "#1e3a8a"]);
  await page.getByLabel("Photo or video").setInputFiles({ name: "dusk.png", mimeType: "image/png", buffer: dusk });
  await page.getByLabel("Caption").fill(caption);
  await page.getByRole("button", { name: "Post", exact: true }).click();
  await postWith(page, caption).waitFor();
  expect(await focusedPostText(page)).toContain(caption);
  expect(await newPost.getAttribute("aria-expanded")).toBe("false");
}

export function describePosting(run: DemoRun): void {
  describe("posting", () => {
    it("lets two people post and see each other's posts live, with optimized images and focus on the new post", async () => {
      const ada = await run.open();
      const grace = await run.open({ viewport: PHONE });
      await signIn(ada, run.baseUrl, "Ada");
      await signIn(grace, run.baseUrl, "Grace");
      // A marker that a reload would wipe: Grace must see Ada's post on the page she already has open.
      await grace.evaluate(() => Object.assign(window, { __sameDocument: true }));
      await grace.getByText("Live · updates every few seconds").waitFor();
      const statusWrites = await countTextWrites(grace, "#feed-status");

      const adasPost = await postWithProgress(run, ada, HTML_CAPTION);
      expect(await focusedPostText(ada)).toContain("Sunset");
      expect(await ada.locator("#composer-notice").textContent()).toBe("Posted. It disappears in 2 minutes.");
      // The caption is exactly the text typed, with no element made from it and no script run.
      expect(await adasPost.locator(".post-caption").textContent()).toBe(HTML_CAPTION);
      expect(await adasPost.locator(".post-caption *").count()).toBe(0);
      expect(await adasPost.locator("time").textContent()).toBe("1m left");
      await expectDeliveryImage(adasPost.locator("img.media-main"));

      // Grace's open page picks the post up by polling, without reloading.
      const seenByGrace = postWith(grace, "Sunset");
      await seenByGrace.waitFor({ timeout: 10_000 });
      expect(await grace.evaluate(() => "__sameDocument" in window)).toBe(true);
      expect(await seenByGrace.locator(".post-caption").textContent()).toBe(HTML_CAPTION);
      expect(await seenByGrace.getByRole("button", { name: "Delete" }).count()).toBe(0);

      await postFromPhone(run, grace, "Blue hour from the pier");
      await postWith(ada, "Blue hour").waitFor({ timeout: 10_000 });
      expect(await feedOf(ada).getByRole("listitem").first().textContent()).toContain("Blue hour");
      expect(await ada.evaluate(() => "__pwned" in window)).toBe(false);
      // Several polls came and went, all fine: the live status was never rewritten with the same words.
      expect(await statusWrites()).toBe(0);
    }, 60_000);

    it("refuses a .jpg whose bytes are not an image, beside the picker, before any upload request", async () => {
      const page = await run.open();
      await signIn(page, run.baseUrl, "Linus");
      const requests = recordRequests(page, ["/api/feed/upload-signature", "/_cloudinary/"]);
      expect(await page.locator("#media-hint").textContent()).toMatch(/JPEG.*HEIC.*MP4.*MOV/);
      const fake = { name: "holiday.jpg", mimeType: "image/jpeg", buffer: Buffer.from("%PDF-1.7\n% not a photo\n") };
      await page.getByLabel("Photo or video").setInputFiles(fake);
      const refusal = page.locator("#media-error");
      await refusal.filter({ hasText: "PDF" }).waitFor();
      expect(await page.getByLabel("Photo or video").getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#preview").isVisible()).toBe(false);

      await page.getByLabel("Caption").fill("Not really a photo");
      await page.getByRole("button", { name: "Post", exact: true }).click();
      await refusal.filter({ hasText: "PDF" }).waitFor();
      expect(await focusedElement(page)).toBe("INPUT #media");
      expect(requests).toEqual([]);
    });

    it("cancelling an upload keeps the draft and puts focus back on Post", async () => {
      const page = await run.open();
      await signIn(page, run.baseUrl, "Margaret");
      const png = Buffer.concat([await scenePng(run.browser, ["#f43f5e", "#881337"]), Buffer.alloc(2_000_000)]);
      await page.getByLabel("Photo or video").setInputFiles({ name: "slow.png", mimeType: "image/png", buffer: png });
      await page.getByLabel("Caption").fill("Maybe later");
      await throttleUpload(page, 100_000);
      await page.getByRole("button", { name: "Post", exact: true }).click();
      await page.getByRole("button", { name: "Cancel" }).click();
      await page.getByText("Upload cancelled.").waitFor();
      expect(await focusedElement(page)).toBe("BUTTON #post-button");
      expect(await page.getByLabel("Caption").inputValue()).toBe("Maybe later");
      const chosen = await page.getByLabel("Photo or video").evaluate((input: HTMLInputElement) => input.files?.length);
      expect(chosen).toBe(1);
    });
  });
}
