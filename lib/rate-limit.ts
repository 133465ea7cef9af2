// Per-user (and optionally per-IP) request limits, kept in the feed's Redis so every function instance shares them.
import { createHash } from "node:crypto";
import type { RateLimits } from "./env.js";
import { HttpError } from "./errors.js";
import type { FeedStore } from "./store/feed-store.js";

// Limits are per minute; a fixed window allows at most twice the limit across a window boundary, which is fine here.
const WINDOW_SECONDS = 60;
// Outside `feed:*`, and every counter key expires with its window.
export const RATE_LIMIT_KEY_PREFIX = "feed-ratelimit:";

export interface RateLimitDeps {
  store: FeedStore;
  limits: RateLimits;
  now: () => number;
}

/**
 * Counts one request of `action` by `subject` and answers 429 past the limit. When Redis fails the request fails
 * too (a 503): the limiter never fails open silently, and writes need Redis anyway.
 */
export async function enforceRateLimit(action: keyof RateLimits, subject: string, deps: RateLimitDeps): Promise<void> {
  const limit = deps.limits[action];
  if (limit === 0) return;
  const window = Math.floor(deps.now() / (WINDOW_SECONDS * 1000));
  const hashed = createHash("sha256").update(subject).digest("base64url").slice(0, 22);
  const count = await deps.store.countHit(`${RATE_LIMIT_KEY_PREFIX}${action}:${hashed}:${window}`, WINDOW_SECONDS);
  if (count <= limit) return;
  // The next window starts at the next minute boundary (the counter key itself may outlive it by up to a minute).
  const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_SECONDS * 1000 - deps.now()) / 1000));
  throw new HttpError("rate_limited", `Too many requests; try again in ${retryAfter} s.`, {
    "Retry-After": String(retryAfter),
  });
}
