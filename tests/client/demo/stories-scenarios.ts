// Stories on the demo page against their own dev server (posts live an hour there): 63 posts by 7 people, every one
// reachable in the list, a tray of 7, a viewer that walks a person oldest first and moves on, Escape and focus, seen
// state across a reload, axe-core on the tray and the viewer at phone and desktop sizes, and a run in Indonesian.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../../client/demo/i18n/en.js";
import { id } from "../../../client/demo/i18n/id.js";
import { axeViolations } from "./axe.js";
import { DESKTOP, PHONE, scenePng } from "./browser.js";
import type { DemoRun } from "./demo-run.js";
import { type DevServer, startDevServer } from "./dev-server.js";
import { postThroughApi } from "./feed-api.js";
import { screenshot } from "./page-helpers.js";

const PEOPLE = ["Ayu", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita"];
const POSTS_EACH = 9;

const trayEntries = (page: Page) => page.locator(".tray-entry");
const viewer = (page: Page) => page.getByRole("dialog");
const viewerCaption = (page: Page) => page.locator("#viewer-caption").textContent();

/** Posts 63 photos round-robin (Ayu 1, Budi 2, …, Gita 7, Ayu 8, …), so each person's posts interleave. */
async function seedStories(run: DemoRun, baseUrl: string): Promise<void> {
  const sky = await scenePng(run.browser, ["#fb7185", "#4c1d95"]);
  // A portrait photo, as phones take them: its frame must be portrait too.
  const portrait = await scenePng(run.browser, ["#fde68a", "#be185d"], { width: 600, height: 800 });
  const tokens: string[] = [];
  for (const name of PEOPLE) {
    const response = await fetch(`${baseUrl}/api/dev/sign-in`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name }),
    });
    tokens.push(((await response.json()) as { token: string }).token);
  }
  for (let n = 1; n <= PEOPLE.length * POSTS_EACH; n += 1) {
    const person = (n - 1) % PEOPLE.length;
    const buffer = n % 4 === 0 ? portrait : sky;
    const file = { name: "story.png", mimeType: "image/png", buffer };
    await postThroughApi(baseUrl, { token: tokens[person] }, `Cerita ${n} oleh ${PEOPLE[person]}`, file);
  }
}

/** The English words of the page's catalog that the Indonesian one never uses (names and formats read the same). */
function englishOnlyWords(): string[] {
  const words = (catalog: Record<string, unknown>) =>
    new Set(
      JSON.stringify(Object.values(catalog))
        .replace(/\{\w+\}/g, " ")
        .toLowerCase()
        .match(/[a-z]{3,}/g),
    );
  const indonesian = words(id);
  return [...words(en)].filter((word) => !indonesian.has(word));
}

export function describeStories(run: DemoRun): void {
  describe("stories", () => {
    let server: DevServer | undefined;
    const baseUrl = () => server?.baseUrl ?? "";

    beforeAll(async () => {
      // Its own server, so the tray holds exactly these seven people, whose posts outlive the run.
      server = await startDevServer({ skipBuild: true, env: { FEED_TTL_SECONDS: "3600" } });
      await seedStories(run, server.baseUrl);
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    it("reaches every one of 63 posts by scrolling, with one feed request on first load", async () => {
      const page = await run.open({ viewport: PHONE });
      const firstReads: string[] = [];
      page.on("request", (request) => {
        const url = new URL(request.url());
        if (url.pathname === "/api/feed") firstReads.push(url.search);
      });
      await page.goto(baseUrl());
      const posts = page.getByRole("list", { name: "Feed" }).getByRole("listitem");
      await posts.first().waitFor();
      expect(firstReads).toHaveLength(1);
      // Infinite scroll: each time the end of the list comes near, the next page arrives.
      for (let tries = 0; tries < 10 && (await posts.count()) < 63; tries += 1) {
        await page.mouse.wheel(0, 20_000);
        await page.waitForTimeout(400);
      }
      expect(await posts.count()).toBe(63);
      const captions = await page.locator("#feed .post-caption").allTextContents();
      expect(new Set(captions).size).toBe(63);
      await page.getByText("You've reached the oldest live post.").waitFor();
      expect(await page.getByRole("button", { name: "Load more posts" }).isVisible()).toBe(false);
      // A portrait photo gets a portrait frame.
      const portrait = page.locator("#feed .post").filter({ hasText: "Cerita 4 oleh" }).locator(".post-media");
      const box = (await portrait.boundingBox()) ?? { width: 1, height: 0 };
      expect(box.height / box.width).toBeCloseTo(4 / 3, 1);
    }, 60_000);

    it("offers a Load more button that reaches the rest without scrolling", async () => {
      const page = await run.open({ viewport: DESKTOP });
      await page.goto(baseUrl());
      const more = page.getByRole("button", { name: "Load more posts" });
      const posts = page.locator("#feed > li");
      await more.waitFor();
      while (await more.isVisible()) {
        await more.focus();
        await page.keyboard.press("Enter");
        await page.waitForTimeout(300);
      }
      expect(await posts.count()).toBe(63);
    }, 40_000);

    for (const [size, viewport] of [
      ["phone", PHONE],
      ["desktop", DESKTOP],
    ] as const) {
      it(`walks one person's posts oldest first, then the next person, at ${size} size, with no axe violations`, async () => {
        const page = await run.open({ viewport, bypassCSP: true });
        await page.goto(baseUrl());
        await expect.poll(() => trayEntries(page).count()).toBe(7);
        // Each entry is named after its person; the newest poster (Gita, post 63) comes first.
        const first = page.getByRole("button", { name: /^Gita, 9 posts, some not seen yet$/ });
        expect(await trayEntries(page).first().getAttribute("aria-label")).toBe(await first.getAttribute("aria-label"));
        await page
          .locator(".tray-thumb")
          .first()
          .evaluate((img: HTMLImageElement) => img.decode());
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `stories-tray-${size}`);

        await first.click();
        const dialog = viewer(page);
        await dialog.waitFor();
        expect(await dialog.getAttribute("aria-modal")).toBe("true");
        expect(await dialog.getAttribute("aria-labelledby")).toBeTruthy();
        expect(await page.locator("#viewer-title").textContent()).toBe("Stories by Gita");
        await expect.poll(() => viewerCaption(page)).toBe("Cerita 7 oleh Gita");
        expect(await page.locator(".viewer-segment").count()).toBe(9);
        expect(await page.locator("#viewer-left").textContent()).toMatch(/^\d+m left$/);
        await page.locator("#viewer-media img.media-main").evaluate((img: HTMLImageElement) => img.decode());
        expect(await axeViolations(page)).toEqual([]);
        await screenshot(page, `stories-viewer-${size}`);

        // Right arrow, a tap on the right half, and Left to go back.
        await page.keyboard.press("ArrowRight");
        await expect.poll(() => viewerCaption(page)).toBe("Cerita 14 oleh Gita");
        await page.locator("#viewer-next").click();
        await expect.poll(() => viewerCaption(page)).toBe("Cerita 21 oleh Gita");
        await page.keyboard.press("ArrowLeft");
        await expect.poll(() => viewerCaption(page)).toBe("Cerita 14 oleh Gita");
        // Focus stays inside the dialog.
        for (let tab = 0; tab < 6; tab += 1) {
          await page.keyboard.press("Tab");
          expect(await page.evaluate(() => document.activeElement?.closest("[role=dialog]") !== null)).toBe(true);
        }
        // To the end of Gita's posts, then on to the next person in the tray: Fajar, oldest first.
        for (let step = 0; step < 8; step += 1) await page.keyboard.press("ArrowRight");
        await expect.poll(() => viewerCaption(page)).toBe("Cerita 6 oleh Fajar");
        expect(await page.locator("#viewer-title").textContent()).toBe("Stories by Fajar");

        await page.keyboard.press("Escape");
        await dialog.waitFor({ state: "hidden" });
        expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toMatch(/^Fajar, /);
        // Gita is all seen now: her ring is plain and she sorts after those with unseen posts.
        const gita = page.getByRole("button", { name: "Gita, 9 posts, all seen" });
        await gita.waitFor();
        expect(await trayEntries(page).last().getAttribute("aria-label")).toBe("Gita, 9 posts, all seen");
      }, 60_000);
    }

    it("advances a photo by itself after about 5 s, and keeps seen state across a reload", async () => {
      const page = await run.open();
      await page.clock.install();
      await page.goto(baseUrl());
      await page.getByRole("button", { name: /^Eko, 9 posts/ }).click();
      await expect.poll(() => viewerCaption(page)).toBe("Cerita 5 oleh Eko");
      await page.locator("#viewer-media img.media-main").evaluate((img: HTMLImageElement) => img.decode());
      await page.clock.runFor(5200);
      await expect.poll(() => viewerCaption(page)).toBe("Cerita 12 oleh Eko");
      for (let step = 0; step < 7; step += 1) await page.keyboard.press("ArrowRight");
      await expect.poll(() => viewerCaption(page)).toBe("Cerita 61 oleh Eko");
      await page.keyboard.press("Escape");

      await page.reload();
      await page.getByRole("button", { name: "Eko, 9 posts, all seen" }).waitFor();
      expect(await trayEntries(page).last().getAttribute("aria-label")).toBe("Eko, 9 posts, all seen");
    }, 40_000);

    it("speaks Indonesian in an id-ID browser: no English words in visible text or labels", async () => {
      const page = await run.open({ viewport: PHONE, locale: "id-ID" });
      await page.goto(baseUrl());
      await expect.poll(() => trayEntries(page).count()).toBe(7);
      await page.locator("#feed > li").first().waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe("id");
      await page.getByText("Langsung · diperbarui setiap beberapa detik").waitFor();
      const english = englishOnlyWords();
      expect(english).toEqual(expect.arrayContaining(["posts", "left", "sign", "live"]));

      const uiWords = () =>
        page.evaluate(() => {
          // What people read or hear, minus what people wrote (names and captions).
          const clone = document.body.cloneNode(true) as HTMLElement;
          for (const node of clone.querySelectorAll("bdi, .post-caption, .viewer-caption, #viewer-title, pre, code"))
            node.remove();
          const labels = [...document.querySelectorAll("[aria-label], [alt], [placeholder], [title]")].flatMap((node) =>
            ["aria-label", "alt", "placeholder", "title"].map((name) => node.getAttribute(name) ?? ""),
          );
          // Every text node apart, so words of neighbouring elements never run together.
          const texts: string[] = [];
          const walker = document.createTreeWalker(clone, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) texts.push(walker.currentNode.nodeValue ?? "");
          return `${document.title} ${texts.join(" ")} ${labels.join(" ")}`.toLowerCase();
        });
      const found = (text: string) => english.filter((word) => new RegExp(`\\b${word}\\b`).test(text));
      expect(found(await uiWords())).toEqual([]);

      await trayEntries(page).first().click();
      await expect.poll(() => viewerCaption(page)).toBe("Cerita 7 oleh Gita");
      expect(await page.locator("#viewer-title").textContent()).toBe("Cerita dari Gita");
      expect(found(await uiWords())).toEqual([]);
      await page.locator("#viewer-media img.media-main").evaluate((img: HTMLImageElement) => img.decode());
      await screenshot(page, "stories-viewer-phone-id");
    }, 40_000);
  });
}
