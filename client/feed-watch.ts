// Polls the feed with If-None-Match: a quiet feed costs a 304, a hidden tab costs nothing, failures back off.
import type { Post } from "../lib/schemas.js";
import { FeedClientError } from "./feed-errors.js";

/** A changed first page, or null when the server answered 304 (nothing new). */
export type FetchPage = (
  etag: string | null,
  signal: AbortSignal,
) => Promise<{ etag: string | null; items: Post[] } | null>;

export type WatchStatus = { ok: true } | { ok: false; error: FeedClientError };

export interface WatchOptions {
  /** Time between polls while all is well (default 5 s). */
  intervalMs?: number;
  /** Longest wait between polls while the server keeps failing (default 60 s). */
  maxBackoffMs?: number;
  /** Called after every poll; on failure the last list stays on screen, so the UI only needs to say "retrying". */
  onStatus?: (status: WatchStatus) => void;
}

export interface FeedWatch {
  /** Polls now (e.g. right after posting) instead of waiting for the next tick. */
  refresh(): void;
  stop(): void;
}

/** Whether the page is hidden, and a way to hear when that changes; the browser's document by default. */
export interface Visibility {
  hidden(): boolean;
  subscribe(listener: () => void): () => void;
}

export const documentVisibility: Visibility = {
  hidden: () => typeof document !== "undefined" && document.visibilityState === "hidden",
  subscribe(listener) {
    if (typeof document === "undefined") return () => {};
    document.addEventListener("visibilitychange", listener);
    return () => document.removeEventListener("visibilitychange", listener);
  },
};

const DEFAULT_INTERVAL_MS = 5000;
const DEFAULT_MAX_BACKOFF_MS = 60_000;
// Far beyond a healthy poll (a page is a few KB), short enough that a dead connection is noticed quickly.
const POLL_TIMEOUT_MS = 15_000;

export function watchFeed(
  fetchPage: FetchPage,
  onChange: (posts: Post[]) => void,
  options: WatchOptions = {},
  visibility: Visibility = documentVisibility,
): FeedWatch {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  let etag: string | null = null;
  let failures = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;
  let pollAgain = false;

  function schedule(delayMs: number): void {
    clearTimeout(timer);
    timer = undefined;
    // While hidden nothing is scheduled; the visibility listener polls again as soon as the tab is back.
    if (!stopped && !visibility.hidden()) timer = setTimeout(poll, delayMs);
  }

  async function poll(): Promise<void> {
    timer = undefined;
    if (stopped || visibility.hidden()) return;
    if (inFlight) {
      pollAgain = true;
      return;
    }
    inFlight = new AbortController();
    // A poll that hangs would otherwise stop the watch for good: give up on it and back off like any failure.
    const giveUp = setTimeout(() => inFlight?.abort(), POLL_TIMEOUT_MS);
    let nextDelay = intervalMs;
    try {
      const page = await fetchPage(etag, inFlight.signal);
      failures = 0;
      if (page) {
        etag = page.etag;
        onChange(page.items);
      }
      options.onStatus?.({ ok: true });
    } catch (error) {
      if (stopped) return;
      failures += 1;
      nextDelay = backoffDelay(failures, error);
      options.onStatus?.({ ok: false, error: asClientError(error) });
    } finally {
      clearTimeout(giveUp);
      inFlight = undefined;
    }
    schedule(pollAgain ? 0 : nextDelay);
    pollAgain = false;
  }

  // Doubling from the interval, with jitter so many tabs do not return at the same instant after an outage.
  function backoffDelay(attempt: number, error: unknown): number {
    const backoff = Math.min(intervalMs * 2 ** attempt, maxBackoffMs) * (0.8 + Math.random() * 0.4);
    const retryAfterMs = (error instanceof FeedClientError ? (error.retryAfterSeconds ?? 0) : 0) * 1000;
    return Math.max(backoff, retryAfterMs);
  }

  const unsubscribe = visibility.subscribe(() => {
    if (visibility.hidden()) schedule(0);
    else void poll();
  });
  void poll();

  return {
    refresh: () => void poll(),
    stop() {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      unsubscribe();
    },
  };
}

function asClientError(error: unknown): FeedClientError {
  if (error instanceof FeedClientError) return error;
  return new FeedClientError("request_failed", "Something went wrong while loading the feed.");
}
