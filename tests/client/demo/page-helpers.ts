// Locators and small probes the demo-page scenarios share: posts by caption, focus, throttling, requests, screenshots.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Page } from "playwright-core";

// Git ignores it; people open the screenshots from here to look at the page.
const SCREENSHOT_DIR = resolve(import.meta.dirname, "../../../.tmp");

export const feedOf = (page: Page) => page.getByRole("list", { name: "Feed" });
export const postWith = (page: Page, text: string) => feedOf(page).getByRole("listitem").filter({ hasText: text });

/** What has the keyboard focus, as a short description: "BODY", "BUTTON Post", "LI <post text…>". */
export function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return "BODY";
    const label = active.id ? `#${active.id}` : (active.textContent ?? "").trim().slice(0, 40);
    return `${active.tagName} ${label}`;
  });
}

/** Slows the page's uplink (bytes per second), or lifts the limit with -1. */
export async function throttleUpload(page: Page, uploadThroughput: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput,
  });
}

/** Every request the page makes from now on whose URL contains one of the fragments. */
export function recordRequests(page: Page, fragments: string[]): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    if (fragments.some((fragment) => request.url().includes(fragment))) seen.push(request.url());
  });
  return seen;
}

/** Counts every write to an element's text from now on (a live region rewritten with the same words counts too). */
export async function countTextWrites(page: Page, selector: string): Promise<() => Promise<number>> {
  await page.evaluate((target) => {
    const node = document.querySelector(target) as Element;
    const state = { writes: 0 };
    Object.assign(window, { __textWrites: state });
    new MutationObserver(() => state.writes++).observe(node, { childList: true, characterData: true, subtree: true });
  }, selector);
  return () => page.evaluate(() => (window as unknown as { __textWrites: { writes: number } }).__textWrites.writes);
}

/** Writes .tmp/<name>.png. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  if (options.fullPage) await loadLazyImages(page);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, ...options });
}

/** Lazy images load only near the viewport: each is brought into view once, so a full-page shot shows them all. */
async function loadLazyImages(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (const image of document.querySelectorAll<HTMLImageElement>(".post img")) {
      image.scrollIntoView();
      await Promise.race([image.decode().catch(() => undefined), new Promise((done) => setTimeout(done, 2000))]);
    }
    window.scrollTo(0, 0);
  });
}
