// The feed's events for a host's real-time layer (a socket.io broadcast): called after the write succeeded, each
// bounded in time, so a hook that throws or hangs never fails a request or holds it past HOOK_TIMEOUT_MS.
import { log } from "../log.js";
import type { Post } from "../schemas.js";

/** Why a post left before its hour was up: its author deleted it, or a moderator took it down. */
export type RemovalReason = "deleted" | "takedown";

export interface FeedHooks {
  /** A new post is stored (a retried publish of the same upload is not a new post, and is not told again). */
  onPublished?: (post: Post) => unknown;
  /** A live post was removed early. Expiry is not told: every post expires on its own, an hour after `createdAt`. */
  onRemoved?: (id: string, reason: RemovalReason) => unknown;
  /** How long the request waits for a hook before answering without it (default HOOK_TIMEOUT_MS). */
  hookTimeoutMs?: number;
}

/** What the routes call; the app's default does nothing. */
export interface FeedEvents {
  published(post: Post): Promise<void>;
  removed(id: string, reason: RemovalReason): Promise<void>;
}

// Long enough for an in-process broadcast or one round trip to a pub/sub server, short enough that a stuck hook
// costs a publish one second, not the function's 15 s.
export const HOOK_TIMEOUT_MS = 1000;

export const NO_EVENTS: FeedEvents = { published: async () => {}, removed: async () => {} };

export function boundedEvents(hooks: FeedHooks): FeedEvents {
  const timeoutMs = hooks.hookTimeoutMs ?? HOOK_TIMEOUT_MS;
  return {
    published: (post) => runHook("onPublished", post.id, timeoutMs, () => hooks.onPublished?.(post)),
    removed: (id, reason) => runHook("onRemoved", id, timeoutMs, () => hooks.onRemoved?.(id, reason)),
  };
}

/**
 * Runs `call` and waits for it at most `timeoutMs`. It never throws: the write it reports has already happened, so a
 * failing hook is the host's to fix, logged with the post's id. One that answers late is left to finish on its own.
 */
export async function runHook(hook: string, postId: string, timeoutMs: number, call: () => unknown): Promise<void> {
  const failed = (outcome: string, error?: unknown) => log.error("feed_hook_failed", { hook, postId, outcome, error });
  let timer: NodeJS.Timeout | undefined;
  const settled = Promise.resolve()
    .then(call)
    .then(
      () => "done" as const,
      (error: unknown) => {
        failed("threw", error instanceof Error ? error.message : String(error));
        return "done" as const;
      },
    );
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), timeoutMs);
  });
  const first = await Promise.race([settled, late]);
  clearTimeout(timer);
  if (first === "late") failed(`no answer within ${timeoutMs} ms`);
}
