// Turns what stopped the media:cleanup command into one clear line for the operator (never a stack, never a secret).
import { CloudinaryRateLimitError } from "../lib/cloudinary/admin-api.js";
import { ServiceUnavailableError } from "../lib/errors.js";

export function describeFailure(error: unknown, nowMs = Date.now()): string {
  const stopped = "Stopped: nothing more was deleted.";
  if (error instanceof CloudinaryRateLimitError) {
    const until =
      error.retryAfterMs === undefined ? "" : ` until about ${new Date(nowMs + error.retryAfterMs).toISOString()}`;
    return `Cloudinary's Admin API rate limit is spent${until}. ${stopped} Run the command again after that.`;
  }
  if (error instanceof ServiceUnavailableError) {
    const detail = error.cause instanceof Error ? ` (${error.cause.message})` : "";
    if (error.service === "redis") {
      return `Redis did not answer${detail}, so live posts could not be checked. ${stopped}`;
    }
    return `Cloudinary's Admin API did not answer usably${detail}. Check the Cloudinary credentials and the network. ${stopped}`;
  }
  return `${error instanceof Error ? error.message : String(error)}. ${stopped}`;
}
