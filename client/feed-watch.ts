// Polls the feed with If-None-Match: a quiet feed costs a 304, a hidden tab or a lost network costs nothing, failures
// back off, and the network coming back is acted on at once.
import { FeedClientError, networkError } from "./feed-errors.js";

/** A changed first page, or null when the server answered 304 (nothing new). */
export type FetchPage<T> = (
  etag: string | null,
  signal: AbortSignal,
) => Promise<{ etag: string | null; page: T } | null>;

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
  /**
   * Loads the next older page after those already loaded and calls `onChange` with every post; resolves with whether
   * more remain. The first page stays live; older pages stay until their posts expire. Calls made while one is
   * loading share it.
   */
  loadMore(): Promise<boolean>;
  /** Whether older posts remain to be loaded (false until the first page has arrived). */
  hasMore(): boolean;
  stop(): void;
}

/** Whether the page is hidden, and a way to hear when that changes; the browser's document by default. */
export interface Visibility {
  hidden(): boolean;
  subscribe(listener: () => void): () => void;
}

/** Whether the browser has a network, and a way to hear when that changes; `navigator` and window events by default. */
export interface Connectivity {
  online(): boolean;
  subscribe(listener: () => void): () => void;
}

export const browserConnectivity: Connectivity = {
  // navigator.onLine is only trustworthy when false ("certainly offline"), which is the only way it is used.
  online: () => typeof navigator === "undefined" || navigator.onLine !== false,
  subscribe(listener) {
    if (typeof addEventListener !== "function") return () => {};
    addEventListener("online", listener);
    addEventListener("offline", listener);
    return () => {
      removeEventListener("online", listener);
      removeEventListener("offline", listener);
    };
  },
};

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

export function watchFeed<T>(
  fetchPage: FetchPage<T>,
  onChange: (page: T) => void,
  options: WatchOptions = {},
  environment: { visibility?: Visibility; connectivity?: Connectivity } = {},
): Pick<FeedWatch, "refresh" | "stop"> {
  const visibility = environment.visibility ?? documentVisibility;
  const connectivity = environment.connectivity ?? browserConnectivity;
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
    // While hidden or offline nothing is scheduled; the listeners poll again as soon as the tab or network is back.
    if (!stopped && !visibility.hidden() && connectivity.online()) timer = setTimeout(poll, delayMs);
  }

  async function poll(): Promise<void> {
    timer = undefined;
    if (stopped || visibility.hidden() || !connectivity.online()) return;
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
        onChange(page.page);
      }
      options.onStatus?.({ ok: true });
    } catch (error) {
      // Stopped, or aborted because the network went: the offline status has already been given.
      if (stopped || !connectivity.online()) return;
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

  const unsubscribeVisibility = visibility.subscribe(() => {
    if (visibility.hidden()) schedule(0);
    else void poll();
  });
  // Offline is said at once (not after a poll times out), and the network's return is tried at once (not after the
  // backoff): the status never lags the connection by more than one request.
  const unsubscribeConnectivity = connectivity.subscribe(() => {
    if (connectivity.online()) {
      failures = 0;
      void poll();
      return;
    }
    inFlight?.abort();
    schedule(0);
    options.onStatus?.({ ok: false, error: networkError() });
  });
  void poll();

  return {
    refresh: () => void poll(),
    stop() {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      unsubscribeVisibility();
      unsubscribeConnectivity();
    },
  };
}

function asClientError(error: unknown): FeedClientError {
  if (error instanceof FeedClientError) return error;
  return new FeedClientError("request_failed", "Something went wrong while loading the feed.");
}
