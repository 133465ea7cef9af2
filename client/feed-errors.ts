// The one error type the browser client throws: a stable code for the UI to switch on, a message people can read.
import type { ErrorCode } from "../lib/error-codes.js";
import type { ErrorBody } from "../lib/schemas.js";

/** Codes the client produces itself: it checks files and captions before sending, and words transport failures. */
type LocalErrorCode =
  | "unsupported_file"
  | "file_too_large"
  | "empty_file"
  | "caption_too_long"
  | "not_signed_in"
  | "unavailable"
  | "offline"
  | "aborted"
  | "upload_rejected"
  | "request_failed";

/** Every code this SDK knows: the server's (its one table, lib/error-codes.ts) and the client's own. */
export type ClientErrorCode = ErrorCode | LocalErrorCode;

/**
 * The facts behind a refusal, so a page can word it in its own language instead of showing `message` (English):
 * file_too_large {mediaType, size, limit}; unsupported_file {reason: "not_media" | "unrecognised" | "mismatch",
 * type, found? (a format name), format? and name? (the format it really is)}; caption_too_long {length, limit}.
 */
export type ErrorDetails = Readonly<Record<string, string | number>>;

export class FeedClientError extends Error {
  constructor(
    // Open to any string: a server of another version may answer a code this SDK does not know, and it is passed on
    // as sent (a page can still fall back on `status`) rather than renamed to a guess.
    readonly code: ClientErrorCode | (string & {}),
    message: string,
    readonly status?: number,
    /** Seconds to wait before trying again (429 and 503 carry it). */
    readonly retryAfterSeconds?: number,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "FeedClientError";
  }
}

export const networkError = (): FeedClientError =>
  new FeedClientError("offline", "Can't reach the feed. Check your connection and try again.");

export const abortedError = (): FeedClientError => new FeedClientError("aborted", "The upload was cancelled.");

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Maps a failed API answer (`{"error":{"code","message"}}`) to an error whose message can be shown as it is. */
export function errorFromStatus(status: number, body: unknown, retryAfter: string | null): FeedClientError {
  const seconds = parseRetryAfter(retryAfter);
  const error = (body as Partial<ErrorBody> | null)?.error;
  const code = typeof error?.code === "string" ? error.code : "request_failed";
  const message = typeof error?.message === "string" ? error.message : `The request failed (HTTP ${status}).`;
  if (status === 401) return new FeedClientError("unauthorized", "Your sign-in has expired. Sign in again.", status);
  if (status === 429) {
    const wait = seconds ? ` Try again in ${seconds} s.` : " Try again in a moment.";
    return new FeedClientError("rate_limited", `You're going too fast.${wait}`, status, seconds);
  }
  if (status === 503 || status === 502 || status === 504) {
    return new FeedClientError("unavailable", "The feed is briefly unavailable. Try again shortly.", status, seconds);
  }
  // 410: the post was deleted or its media cleaned up; only a fresh upload (a new signature) can be posted now.
  if (code === "upload_removed") {
    const removed = "This post was removed, so it can't be published again. Choose the file again to share it.";
    return new FeedClientError(code, removed, status);
  }
  return new FeedClientError(code, message, status, seconds);
}

export async function errorFromResponse(response: Response): Promise<FeedClientError> {
  const body = await response.json().catch(() => null);
  return errorFromStatus(response.status, body, response.headers.get("Retry-After"));
}
