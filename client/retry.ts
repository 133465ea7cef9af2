// Retries an idempotent step a bounded number of times after a 503 or no answer, honouring Retry-After and abort.
import { abortedError, FeedClientError } from "./feed-errors.js";

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** The wait before each retry when the server sends no Retry-After: the first retry waits backoffMs[0], and so on. */
  backoffMs: readonly number[];
  /** The longest wait worth making someone sit through; a server asking for more is not retried. */
  maxWaitMs: number;
}

/** A 503 or a request that got no answer; both mean "try again", and only idempotent steps may be retried on them. */
function isRetryable(error: unknown): error is FeedClientError {
  return error instanceof FeedClientError && (error.status === 503 || error.code === "offline");
}

/**
 * The wait this client makes before retry number `retry`: Retry-After when the server sent one, else the policy's
 * backoff; undefined when that is longer than the policy allows.
 */
function waitBeforeRetryMs(error: FeedClientError, retry: number, policy: RetryPolicy): number | undefined {
  const seconds = error.retryAfterSeconds;
  const backoffMs = policy.backoffMs[Math.min(retry, policy.backoffMs.length) - 1] ?? 0;
  const delayMs = seconds === undefined ? backoffMs : seconds * 1000;
  return delayMs <= policy.maxWaitMs ? delayMs : undefined;
}

/** Runs `step` until it succeeds, fails for good, or the attempts run out; the last error is the one thrown. */
export async function withRetries<T>(step: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= policy.attempts || !isRetryable(error)) throw error;
      const delayMs = waitBeforeRetryMs(error, attempt, policy);
      // Waiting past the cap would only lead to the same answer later: say so now, Retry-After included.
      if (delayMs === undefined) throw error;
      await pause(delayMs, signal);
    }
  }
}

/** Resolves after `ms`, or rejects with code "aborted" as soon as the signal fires. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
