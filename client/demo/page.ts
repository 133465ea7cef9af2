// Entry point of the demo page at `/`: sign-in, composer, the stories tray and viewer, and the live feed, wired to
// the browser client through its public entry (../feed-client.ts).
import { createFeedClient, FeedClientError, type FeedWatch, type Post, type WatchStatus } from "../feed-client.js";
import { mountAuthView } from "./auth-view.js";
import { mountComposer } from "./composer.js";
import { byId, setText } from "./dom.js";
import { mountFeedMore } from "./feed-more.js";
import { createFeedView } from "./feed-view.js";
import { t, text } from "./i18n/index.js";
import { translatePage } from "./i18n/text.js";
import { checkSignIn, loadDraft, loadSession, type Session, type SignInMode, saveSession } from "./session.js";
import { mountStories } from "./stories.js";
import { watchStatusText } from "./wording.js";

// Others' posts appear within a few seconds; a 304 makes a quiet poll nearly free.
const POLL_INTERVAL_MS = 3000;
// A page of the feed; the rest arrives as the reader scrolls (feed-more.ts).
const PAGE_SIZE = 20;
// Start-up checks retry like the watch backs off: soon at first, then at most once a minute through a long outage.
const MAX_RETRY_MS = 60_000;

translatePage(document, text);
document.title = t("app.title");
for (const node of document.querySelectorAll<HTMLElement>(".lifetime")) setText(node, t("app.lifetimeUnknown"));

const baseUrl = location.origin;
let session: Session | null = loadSession();
let mode: SignInMode | "pending" = "pending";
let watcher: FeedWatch | undefined;
let lifetimeShown = false;
let lastStatusOk = true;

// The client learns FEED_TTL_SECONDS from the first page it reads; countdowns and wording follow it from then on.
const client = createFeedClient({ baseUrl, getToken: () => session?.token });
const feedStatus = byId("feed-status");
const stories = mountStories(client);

const view = createFeedView(byId<HTMLUListElement>("feed"), byId("feed-empty"), {
  expiresAt: (post) => client.expiresAt(post),
  currentUserId: () => session?.user.userId ?? null,
  async remove(post) {
    try {
      await client.remove(post.id);
      watcher?.refresh();
    } catch (error) {
      if (error instanceof FeedClientError && error.code === "unauthorized") endSession(t("signIn.expired"));
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
  lifetimeWords: () => text.lifetime(client.ttlSeconds()),
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
  // A server that refuses the token on a read has ended the sign-in: say so now, not when the person presses Post.
  if (!status.ok && status.error.code === "unauthorized" && session) endSession(t("signIn.expired"));
  // Back after an outage (a dev server restart, the network): the token may no longer be good.
  if (status.ok && !lastStatusOk) void recheckSignIn();
  lastStatusOk = status.ok;
}

/** The dev server signs with a new secret after a restart; its sign-in check says whether our token survived. */
async function recheckSignIn(): Promise<void> {
  if (mode !== "dev" || !session) return;
  const token = session.token;
  const check = await checkSignIn(baseUrl, token);
  if (check.tokenValid === false && session?.token === token) {
    endSession(t(loadDraft() ? "signIn.expiredDraftKept" : "signIn.expired"));
  }
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
  if (stale && mode === "dev") auth.showReason(t(loadDraft() ? "signIn.expiredDraftKept" : "signIn.expired"));
}

function showLifetime(seconds: number): void {
  const words = text.lifetime(seconds);
  for (const node of document.querySelectorAll<HTMLElement>(".lifetime")) setText(node, words);
  document.title = t("app.titleWithLifetime", { lifetime: words });
}

/** One request starts everything: the first page brings the posts and the server's lifetime (ttlSeconds). */
function startFeed(): void {
  const more = mountFeedMore(() => watcher?.loadMore() ?? Promise.resolve(false));
  watcher = client.watch(
    (posts: Post[], state) => {
      if (!lifetimeShown) {
        lifetimeShown = true;
        showLifetime(state.ttlSeconds);
        byId("feed-skeleton").hidden = true;
      }
      view.showServerList(posts);
      more.update(state.hasMore);
      // Someone posted or a post left: the tray may have a new person, or one fewer. On a dev server, an emptied
      // feed is also how a restart shows.
      void stories.refresh();
      void recheckSignIn();
    },
    { intervalMs: POLL_INTERVAL_MS, limit: PAGE_SIZE, onStatus: showStatus },
  );
}

// Countdowns move every second and expired posts leave on time, without waiting for the server.
setInterval(() => view.tick(), 1000);
// Background tabs throttle timers; bring the countdowns up to date the moment the tab is seen again.
document.addEventListener("visibilitychange", () => view.tick());

auth.show("pending", null);
void settleSignIn();
startFeed();
