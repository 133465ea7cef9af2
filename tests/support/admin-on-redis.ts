// The admin endpoints' app on a store under test: the admin token, no rate limits, the real clock, and msw's stand-in
// for Cloudinary's Admin API, letting calls to this machine (the Upstash adapter's REST bridge) through as they are.
import { http, passthrough } from "msw";
import type { SetupServer } from "msw/node";
import type { FeedStore } from "../../lib/store/feed-store.js";
import { createFakeCloudinary } from "./fake-cloudinary-admin.js";
import { ADMIN_TOKEN } from "./media-cleanup-fixtures.js";
import { useTestApp } from "./test-app.js";

/** Call in a beforeEach: the app and the Cloudinary stand-in for one test. */
export function adminAppOn(server: SetupServer, store: FeedStore) {
  const ctx = useTestApp({ ADMIN_TOKEN, RATE_LIMIT: "off" }, { store });
  ctx.clock.now = Date.now();
  const cloudinary = createFakeCloudinary(ctx.config.media);
  server.use(
    ...cloudinary.handlers,
    http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
  );
  return { ctx, cloudinary };
}
