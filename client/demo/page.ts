// Entry point of the demo page at `/`: sign-in, composer and live feed, wired to the browser client (../feed-client.ts).

import { DEFAULT_TTL_SECONDS } from "../../lib/limits.js";
import type { Post } from "../../lib/schemas.js";
import { createFeedClient, type FeedWatch, type WatchStatus } from "../feed-client.js";
import { FeedClientError } from "../feed-errors.js";
import { expiresAt } from "../time-left.js";
import { mountAuthView } from "./auth-view.js";
import { mountComposer } from "./composer.js";
import { byId, setText } from "./dom.js";
import { createFeedView } from "./feed-view.js";
import { checkSignIn, loadDraft, loadSession, type Session, type SignInMode, saveSession } from "./session.js";
import { formatLifetime, watchStatusText } from "./wording.js";

// Others' posts appear within a few seconds; a 304 makes a quiet poll nearly free.
const POLL_INTERVAL_MS = 3000;
// Start-up checks retry like the watch backs off: soon at first, then at most once a minute through a long outage.
const MAX_RETRY_MS = 60_000;
const SIGN_IN_EXPIRED = "Your sign-in has expired (the server may have restarted). Sign in again";

const baseUrl = location.origin;
let session: Session | null = loadSession();
let mode: SignInMode | "pending" = "pending";
// FEED_TTL_SECONDS as GET /api/feed reports it; nothing is listed (or counted down) before it is known.
let ttlSeconds = DEFAULT_TTL_SECONDS;
let watcher: FeedWatch | undefined;

const client = createFeedClient({ baseUrl, getToken: () => session?.token });
const feedStatus = byId("feed-status");

const view = createFeedView(byId<HTMLUListElement>("feed"), byId("feed-empty"), {
  expiresAt: (post) => expiresAt(post, ttlSeconds),
  currentUserId: () => session?.user.userId ?? null,
  async remove(post) {
    try {
      await client.remove(post.id);
      watcher?.refresh();
    } catch (error) {
      if (error instanceof FeedClientError && error.code === "unauthorized") endSession(`${SIGN_IN_EXPIRED}.`);
      throw error;
    }
  },
  fallbackFocus: byId("feed-title"),
});

const auth = mountAuthView(baseUrl, {
  onSignedIn(next) {
    setSession(next);
    composer.focus();
  },
  onSignOut() {
    composer.reset();
    setSession(null);
    auth.focusSignIn();
  },
});

const composer = mountComposer({
  client,
  lifetimeWords: () => formatLifetime(ttlSeconds),
  onPosted(post: Post) {
    view.addOwn(post);
    view.focusPost(post.id);
    watcher?.refresh();
  },
  onSignedOut: endSession,
});

/** Every signed-in/out change goes through here, so the page never shows neither the composer nor a way in. */
function setSession(next: Session | null): void {
  session = next;
  saveSession(next);
  byId("composer").hidden = !(mode === "dev" && next);
  auth.show(mode, next);
  view.rebuild();
}

/** The server refused the token: back to the sign-in form, saying why; the composer keeps the draft meanwhile. */
function endSession(reason: string): void {
  setSession(null);
  auth.showReason(reason);
  auth.focusSignIn();
}

function showStatus(status: WatchStatus): void {
  setText(feedStatus, watchStatusText(status));
  feedStatus.classList.toggle("warning", !status.ok);
}

/** Calls `attempt` until it has an answer, waiting longer after each miss. */
async function untilAnswered<T>(attempt: () => Promise<T | undefined>): Promise<T> {
  for (let waitMs = POLL_INTERVAL_MS; ; waitMs = Math.min(waitMs * 2, MAX_RETRY_MS)) {
    const answer = await attempt();
    if (answer !== undefined) return answer;
    await new Promise((done) => setTimeout(done, waitMs));
  }
}

/** Asks the server how people sign in here and whether the stored token still works, until it answers. */
async function settleSignIn(): Promise<void> {
  const check = await untilAnswered(async () => {
    const answer = await checkSignIn(baseUrl, session?.token);
    if (answer.mode === "unreachable") auth.show("unreachable", null);
    return answer.mode === "unreachable" ? undefined : answer;
  });
  mode = check.mode;
  // A host app's deployment has no dev tokens to keep; a dev token the server refuses has expired.
  const stale = session !== null && (mode !== "dev" || check.tokenValid === false);
  setSession(stale ? null : session);
  if (stale && mode === "dev") auth.showReason(`${SIGN_IN_EXPIRED}${loadDraft() ? ": your draft is kept." : "."}`);
}

/** The feed's lifetime from the API itself, so every sentence and countdown follows the server's FEED_TTL_SECONDS. */
function learnLifetime(): Promise<number> {
  return untilAnswered(async () => {
    try {
      return (await client.list({ limit: 1 })).ttlSeconds ?? DEFAULT_TTL_SECONDS;
    } catch (error) {
      if (error instanceof FeedClientError) showStatus({ ok: false, error });
      return undefined;
    }
  });
}

function showLifetime(seconds: number): void {
  const words = formatLifetime(seconds);
  for (const node of document.querySelectorAll<HTMLElement>(".lifetime")) setText(node, words);
  document.title = `Vanish · photos and videos for ${words}`;
}

async function startFeed(): Promise<void> {
  ttlSeconds = await learnLifetime();
  showLifetime(ttlSeconds);
  // The watch drops posts whose time is up, so its client must know the lifetime too.
  const watching = createFeedClient({ baseUrl, getToken: () => session?.token, ttlSeconds });
  watcher = watching.watch((posts) => view.showServerList(posts), {
    intervalMs: POLL_INTERVAL_MS,
    onStatus: showStatus,
  });
}

// Countdowns move every second and expired posts leave on time, without waiting for the server.
setInterval(() => view.tick(), 1000);
// Background tabs throttle timers; bring the countdowns up to date the moment the tab is seen again.
document.addEventListener("visibilitychange", () => view.tick());

auth.show("pending", null);
void settleSignIn();
void startFeed();
