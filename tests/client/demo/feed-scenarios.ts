// The feed on the demo page: countdowns and expiry, undoable deletes whose errors stay on their card, and outages
// worded by what failed.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Post } from "../../../lib/schemas.js";
import { scenePng, signIn } from "./browser.js";
import type { DemoRun } from "./demo-run.js";
import { postThroughApi, serverPostIds } from "./feed-api.js";
import { focusedElement, postWith, recordRequests } from "./page-helpers.js";

const isFeedPath = (pattern: RegExp) => (url: URL) => pattern.test(url.pathname);

/** A page (with its clock installed) signed in as `name`, whose own posts with these captions are on screen. */
async function signedInWithPosts(
  run: DemoRun,
  name: string,
  captions: string[],
): Promise<{ page: Page; posts: Post[] }> {
  const page = await run.open();
  await page.clock.install();
  await signIn(page, run.baseUrl, name);
  const { token } = JSON.parse((await page.evaluate(() => sessionStorage.getItem("feed-demo-session"))) ?? "{}");
  const png = { name: "pier.png", mimeType: "image/png", buffer: await scenePng(run.browser, ["#38bdf8", "#0c4a6e"]) };
  const posts: Post[] = [];
  for (const caption of captions) posts.push(await postThroughApi(run.baseUrl, { token }, caption, png));
  for (const caption of captions) await postWith(page, caption).waitFor({ timeout: 10_000 });
  return { page, posts };
}

export function describeFeed(run: DemoRun): void {
  describe("the feed", () => {
    it("counts down every second and drops a post at expiry while the server still lists it", async () => {
      const page = await run.open();
      // The page's clock runs normally until fast-forwarded; the server's clock is untouched.
      await page.clock.install();
      await page.goto(run.baseUrl);
      const png = {
        name: "lawn.png",
        mimeType: "image/png",
        buffer: await scenePng(run.browser, ["#22c55e", "#14532d"]),
      };
      const post = await postThroughApi(run.baseUrl, { name: "Linus" }, "Countdown check", png);
      const item = postWith(page, "Countdown check");
      await item.waitFor({ timeout: 10_000 });
      expect(await item.locator("time").textContent()).toBe("1m left");

      await page.clock.fastForward("01:00");
      const before = Number((await item.locator("time").textContent())?.match(/^(\d+)s left$/)?.[1]);
      expect(before).toBeGreaterThan(2);
      await page.clock.runFor(2000);
      expect(await item.locator("time").textContent()).toBe(`${before - 2}s left`);

      await page.clock.fastForward(before * 1000 + 1000);
      await item.waitFor({ state: "detached" });
      expect(await serverPostIds(run.baseUrl)).toContain(post.id);
    });

    it("offers undo before deleting, then deletes and keeps focus in the feed", async () => {
      const { page, posts } = await signedInWithPosts(run, "Ada", ["Delete me", "Keep me"]);
      const doomed = postWith(page, "Delete me");
      // Only this post's URL: the tray reads /api/feed/people whenever the feed changes.
      const deletes = recordRequests(page, [`/api/feed/${posts[0].id}`]);

      // One click folds the card to "Post deleted. Undo"; nothing is sent yet, and Undo brings it back.
      await doomed.getByRole("button", { name: "Delete" }).click();
      await doomed.getByRole("status").filter({ hasText: "Post deleted." }).waitFor();
      expect(await focusedElement(page)).toBe("BUTTON Undo");
      await doomed.getByRole("button", { name: "Undo" }).click();
      expect(await focusedElement(page)).toBe("BUTTON Delete");
      expect(await doomed.locator("img.media-main").isVisible()).toBe(true);

      // Left alone, the delete goes out after the undo time; focus moves to the feed rather than <body>.
      await doomed.getByRole("button", { name: "Delete" }).click();
      expect(deletes).toEqual([]);
      await page.clock.runFor(5000);
      await doomed.waitFor({ state: "detached" });
      expect(deletes).toHaveLength(1);
      expect(await focusedElement(page)).toBe("H2 #feed-title");
      expect(await serverPostIds(run.baseUrl)).not.toContain(posts[0].id);
    });

    it("shows a failed delete on its own card, through the next poll, until dismissed", async () => {
      const { page } = await signedInWithPosts(run, "Ada", ["Stubborn post"]);
      const post = postWith(page, "Stubborn post");
      await page.route(isFeedPath(/^\/api\/feed\/[^/]+$/), (route) =>
        route.fulfill({ status: 503, json: { error: { code: "unavailable", message: "Storage is unavailable." } } }),
      );
      await post.getByRole("button", { name: "Delete" }).click();
      await page.clock.runFor(5000);
      const problem = post.getByRole("alert");
      await problem.waitFor();
      expect(await problem.textContent()).toBe(
        "Couldn't delete this post. The feed service is having trouble. Try again in a moment.",
      );
      expect(await focusedElement(page)).toBe("BUTTON Delete");
      const polled = page.waitForResponse((response) => response.url().includes("/api/feed?limit="));
      await page.clock.runFor(3500);
      await polled;
      expect(await problem.isVisible()).toBe(true);
      expect(await page.locator("#feed-status").textContent()).toBe("Live · updates every few seconds");
      await post.getByRole("button", { name: "Dismiss" }).click();
      expect(await problem.count()).toBe(0);
      expect(await focusedElement(page)).toBe("BUTTON Delete");
    });

    it("says the feed service is in trouble when it is, and blames the connection only when the network fails", async () => {
      const page = await run.open();
      let failure: "server" | "network" | "none" = "server";
      await page.route(isFeedPath(/^\/api\/feed$/), (route) => {
        if (failure === "server")
          return route.fulfill({ status: 503, json: { error: { code: "unavailable", message: "x" } } });
        if (failure === "network") return route.abort("connectionrefused");
        return route.fallback();
      });
      // The watch backs off from 3 s, doubling after each miss (±20%): the clock skips those waits.
      await page.clock.install();
      await page.goto(run.baseUrl);
      const status = page.locator("#feed-status");
      await status.filter({ hasText: "The feed service is having trouble" }).waitFor();
      expect(await status.textContent()).not.toMatch(/connection/i);
      failure = "network";
      await page.clock.runFor(7500);
      await status.filter({ hasText: "check your connection" }).waitFor();
      failure = "none";
      await page.clock.runFor(15_000);
      await status.filter({ hasText: "Live" }).waitFor();

      // The same words for an action: a 503 while asking to upload is the service's trouble, not the connection's.
      await signIn(page, run.baseUrl, "Grace");
      await page.route(isFeedPath(/^\/api\/feed\/upload-signature$/), (route) =>
        route.fulfill({ status: 503, json: { error: { code: "unavailable", message: "x" } } }),
      );
      const png = await scenePng(run.browser, ["#a855f7", "#3b0764"]);
      await page.getByLabel("Photo or video").setInputFiles({ name: "x.png", mimeType: "image/png", buffer: png });
      await page.getByRole("button", { name: "Post", exact: true }).click();
      await page.locator("#composer-error").filter({ hasText: "The feed service is having trouble" }).waitFor();
    }, 30_000);
  });
}
