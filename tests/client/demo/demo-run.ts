// One `npm run dev` and one Chromium for the whole demo-page run, shared by the scenario files it registers.
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { launchChromium, openPage } from "./browser.js";
import { type DevServer, startDevServer } from "./dev-server.js";

// Short enough that the page's wording visibly follows the server ("2 minutes"), long enough to outlive the run.
export const TTL_SECONDS = 120;

export interface DemoRun {
  readonly server: DevServer;
  readonly baseUrl: string;
  readonly browser: Browser;
  /** A fresh page (its own context, so its own person) that fails the test on any page error. */
  open(options?: BrowserContextOptions): Promise<Page>;
}

export function useDemoRun(): DemoRun {
  let server: DevServer | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the demo run has not started");
    return value;
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startDevServer({ env: { FEED_TTL_SECONDS: String(TTL_SECONDS) } }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  afterEach(async () => {
    for (const context of browser?.contexts() ?? []) await context.close();
    expect(errors.splice(0)).toEqual([]);
  });

  return {
    get server() {
      return started(server);
    },
    get baseUrl() {
      return started(server).baseUrl;
    },
    get browser() {
      return started(browser);
    },
    open: (options) => openPage(started(browser), errors, options),
  };
}
