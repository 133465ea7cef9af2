// Signing in on the demo page: no developer card before the mode is known, the host-app explanation, the lifetime
// the server reports, and a dev-server restart that ends sign-ins without losing drafts.
import { describe, expect, it } from "vitest";
import { PHONE, scenePng, signIn } from "./browser.js";
import type { DemoRun } from "./demo-run.js";
import { focusedElement, postWith, screenshot } from "./page-helpers.js";

export function describeSignIn(run: DemoRun): void {
  describe("signing in", () => {
    it("shows a neutral placeholder until the mode is known, then words the server's lifetime", async () => {
      const page = await run.open();
      let answer: () => void = () => {};
      const answered = new Promise<void>((resolve) => (answer = resolve));
      await page.route("**/api/dev/sign-in", async (route) => {
        await answered;
        await route.continue();
      });
      await page.goto(run.baseUrl);
      await page.getByText("Getting things ready…").waitFor();
      expect(await page.getByRole("heading", { name: "Sign in through your app" }).isVisible()).toBe(false);
      expect(await page.getByText("AUTH_JWT_SECRET").isVisible()).toBe(false);
      expect(await page.getByLabel("Name").isVisible()).toBe(false);

      answer();
      await page.getByLabel("Name").waitFor();
      expect(await page.getByText("Getting things ready…").isVisible()).toBe(false);
      expect(await page.getByRole("heading", { name: "Sign in through your app" }).isVisible()).toBe(false);
      // FEED_TTL_SECONDS=120, learnt from GET /api/feed: every sentence about the lifetime follows it.
      await page.getByText("disappears 2 minutes after it's posted").waitFor();
      expect(await page.title()).toBe("Vanish · photos and videos for 2 minutes");
      expect(new Set(await page.locator(".lifetime").allTextContents())).toEqual(new Set(["2 minutes"]));
      expect(await page.locator("#sign-in").textContent()).not.toMatch(/hour/);
    });

    it("explains how a host app passes its token when the dev sign-in is not offered", async () => {
      const page = await run.open();
      // What a deployment with AUTH_JWT_SECRET answers: no dev sign-in.
      await page.route("**/api/dev/sign-in", (route) =>
        route.fulfill({
          status: 404,
          json: { error: { code: "not_found", message: "Sign in through the host app." } },
        }),
      );
      await page.goto(run.baseUrl);
      await page.getByRole("heading", { name: "Sign in through your app" }).waitFor();
      expect(await page.getByText("getToken").count()).toBe(1);
      expect(await page.getByLabel("Name").isVisible()).toBe(false);
      expect(await page.getByRole("heading", { name: "Live now" }).isVisible()).toBe(true);
    });

    it("after a dev-server restart, says why on the sign-in form without waiting for Post, and keeps the draft", async () => {
      const png = await scenePng(run.browser, ["#facc15", "#a16207"]);
      // Ada has a file and a caption ready; Grace, on a phone, has started a caption.
      const ada = await run.open();
      await signIn(ada, run.baseUrl, "Ada");
      await ada.getByLabel("Photo or video").setInputFiles({ name: "field.png", mimeType: "image/png", buffer: png });
      await ada.getByLabel("Caption").fill("Written before the restart");
      const grace = await run.open({ viewport: PHONE });
      await signIn(grace, run.baseUrl, "Grace");
      await grace.getByRole("button", { name: "New post" }).click();
      await grace.getByLabel("Caption").fill("Grace's half-written caption");

      const graceSession = await grace.evaluate(() => sessionStorage.getItem("feed-demo-session"));
      // A new process signs tokens with a new secret: every sign-in made before it is now refused.
      await run.server.restart();

      // The open page finds out by itself, before anyone presses Post: the sign-in form says why, focus is on it,
      // and the composer keeps file and caption.
      const reason = ada.locator("#sign-in-reason");
      await reason.filter({ hasText: "Your sign-in has expired" }).waitFor();
      expect(await reason.textContent()).toContain("draft is kept");
      expect(await focusedElement(ada)).toBe("INPUT #sign-in-name");
      expect(await ada.locator("#composer").isVisible()).toBe(false);
      await screenshot(ada, "demo-sign-in-expired");
      await signIn(ada, run.baseUrl, "Ada");
      expect(await reason.isVisible()).toBe(false);
      expect(await ada.getByLabel("Caption").inputValue()).toBe("Written before the restart");
      expect(await ada.getByLabel("Photo or video").evaluate((input: HTMLInputElement) => input.files?.length)).toBe(1);
      await ada.getByRole("button", { name: "Post", exact: true }).click();
      await postWith(ada, "Written before the restart").waitFor();

      // Grace's open page found out too; a page loaded later with the old token checks it at once.
      await grace.locator("#sign-in-reason").filter({ hasText: "Your sign-in has expired" }).waitFor();
      expect(await grace.locator("#composer").isVisible()).toBe(false);
      await grace.evaluate((stored) => sessionStorage.setItem("feed-demo-session", stored ?? ""), graceSession);
      await grace.reload();
      await grace.locator("#sign-in-reason").filter({ hasText: "Your sign-in has expired" }).waitFor();
      expect(await grace.locator("#composer").isVisible()).toBe(false);
      await signIn(grace, run.baseUrl, "Grace");
      expect(await grace.getByLabel("Caption").inputValue()).toBe("Grace's half-written caption");
      expect(await grace.getByRole("button", { name: "New post" }).getAttribute("aria-expanded")).toBe("true");
    }, 60_000);
  });
}
