// What the demo page says: the server's post lifetime in words, and each problem worded by what actually failed.
import type { WatchStatus } from "../feed-client.js";
import { FeedClientError } from "../feed-errors.js";

/** "an hour", "2 minutes", "90 seconds": FEED_TTL_SECONDS as a sentence reads it. */
export function formatLifetime(seconds: number): string {
  if (seconds % 3600 === 0) return countOf(seconds / 3600, "hour");
  if (seconds % 60 === 0) return countOf(seconds / 60, "minute");
  return countOf(seconds, "second");
}

function countOf(count: number, unit: string): string {
  if (count !== 1) return `${count} ${unit}s`;
  return unit === "hour" ? "an hour" : `a ${unit}`;
}

/** The server answered, and badly (503, 5xx): not the person's connection, so it is not worded as theirs. */
function isServerTrouble(problem: FeedClientError): boolean {
  return problem.code === "unavailable" || (problem.status ?? 0) >= 500;
}

/** No answer at all; the browser knows when it has no network, so "offline" is only said when it is true. */
function unreachableMessage(): string {
  if (typeof navigator !== "undefined" && !navigator.onLine) return "You're offline. Reconnect and try again.";
  return "Can't reach the feed. Check your connection and try again.";
}

/** One sentence for a failed action (post, delete, sign-in) that can be shown as it is. */
export function problemMessage(problem: unknown): string {
  if (!(problem instanceof FeedClientError)) return "Something went wrong. Try again.";
  if (problem.code === "offline") return unreachableMessage();
  if (isServerTrouble(problem)) return "The feed service is having trouble. Try again in a moment.";
  return problem.message;
}

/** The feed's live status line; the last posts stay on screen while the watch retries. */
export function watchStatusText(status: WatchStatus): string {
  if (status.ok) return "Live · updates every few seconds";
  const { error } = status;
  if (error.code === "offline") {
    const offline = typeof navigator !== "undefined" && !navigator.onLine;
    return offline
      ? "Offline · showing the last posts, retrying…"
      : "Can't reach the feed · check your connection, retrying…";
  }
  if (isServerTrouble(error)) return "The feed service is having trouble · showing the last posts, retrying…";
  return `${error.message} Showing the last posts, retrying…`;
}
