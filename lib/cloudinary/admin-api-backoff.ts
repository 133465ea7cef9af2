// Wraps the Admin API client so calls Cloudinary rate-limited (420/429) wait as its headers say, then retry: for batches.
import { type CloudinaryAdmin, CloudinaryRateLimitError } from "./admin-api.js";

// A few waits ride out a short burst limit; a spent hourly quota needs a later run, not endless retries.
const DEFAULT_MAX_RETRIES = 4;
// The longest wait honoured; a reset further away ends the run so the operator is not left at a silent terminal.
const DEFAULT_MAX_WAIT_MS = 5 * 60_000;
// Our clock and Cloudinary's may differ by a moment: waking just after the reset avoids a second 420.
const RESET_MARGIN_MS = 1000;
// Without rate-limit headers: 2 s, 4 s, 8 s, ...
const FALLBACK_BASE_MS = 2000;

export interface BackoffOptions {
  sleep: (ms: number) => Promise<void>;
  onWait?: (ms: number, attempt: number) => void;
  maxRetries?: number;
  maxWaitMs?: number;
}

export function withBackoff(admin: CloudinaryAdmin, options: BackoffOptions): CloudinaryAdmin {
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;

  async function retrying<T>(operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await operation();
      } catch (error) {
        if (!(error instanceof CloudinaryRateLimitError) || attempt > maxRetries) throw error;
        const wait =
          error.retryAfterMs === undefined
            ? FALLBACK_BASE_MS * 2 ** (attempt - 1)
            : error.retryAfterMs + RESET_MARGIN_MS;
        if (wait > maxWaitMs) throw error;
        options.onWait?.(wait, attempt);
        await options.sleep(wait);
      }
    }
  }

  return {
    listMedia: (type, prefix, cursor) => retrying(() => admin.listMedia(type, prefix, cursor)),
    findMedia: (type, publicIds) => retrying(() => admin.findMedia(type, publicIds)),
    deleteMedia: (type, publicIds) => retrying(() => admin.deleteMedia(type, publicIds)),
  };
}
