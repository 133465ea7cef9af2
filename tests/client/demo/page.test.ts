// The demo page in real Chromium against `npm run dev` with FEED_TTL_SECONDS=120: sign-in and restarts, posting,
// the live feed, the page as a whole, and stories (axe-core, screenshots in .tmp/). One build and one browser serve
// every scenario, because `npm run dev` rebuilds public/client/ first and two runs at once would race on those files;
// the stories get a second server started without a build.
import { describe } from "vitest";
import { useDemoRun } from "./demo-run.js";
import { describeFeed } from "./feed-scenarios.js";
import { describePage } from "./page-scenarios.js";
import { describePosting } from "./posting-scenarios.js";
import { describeSignIn } from "./sign-in-scenarios.js";
import { describeStories } from "./stories-scenarios.js";

describe("the demo page in Chromium", () => {
  const run = useDemoRun();
  describeSignIn(run);
  describePosting(run);
  describeFeed(run);
  describePage(run);
  describeStories(run);
});
