// Entry point of the demo page at `/`: sign-in, composer and live feed, wired to the browser client.
import { mountComposer } from "./demo-composer.js";
import { byId } from "./demo-dom.js";
import { createFeedView } from "./demo-feed-view.js";
import { devSignIn, devSignInAvailable, loadSession, type Session, saveSession } from "./demo-session.js";
import { createFeedClient, type WatchStatus } from "./feed-client.js";
import { FeedClientError } from "./feed-errors.js";

// Others' posts appear within a few seconds; a 304 makes a quiet poll nearly free.
const POLL_INTERVAL_MS = 3000;

const baseUrl = location.origin;
// The page cannot read the server's FEED_TTL_SECONDS; index.html states it (3600 unless the deployment changed it).
const ttlMeta = document.querySelector<HTMLMetaElement>('meta[name="feed-ttl-seconds"]');
let session: Session | null = loadSession();

const client = createFeedClient({
  baseUrl,
  getToken: () => session?.token,
  ttlSeconds: Number(ttlMeta?.content) || undefined,
});

const feedStatus = byId("feed-status");
const view = createFeedView(byId<HTMLUListElement>("feed"), byId("feed-empty"), {
  expiresAt: client.expiresAt,
  currentUserId: () => session?.user.userId ?? null,
  async onDelete(post) {
    try {
      await client.remove(post.id);
      watcher.refresh();
    } catch (error) {
      feedStatus.textContent = error instanceof FeedClientError ? error.message : "Could not delete the post.";
      throw error;
    }
  },
});

function showStatus(status: WatchStatus): void {
  if (status.ok) feedStatus.textContent = "Live · updates every few seconds";
  else if (status.error.code === "offline") feedStatus.textContent = "Offline · showing the last posts, retrying…";
  else feedStatus.textContent = `${status.error.message} Showing the last posts, retrying…`;
  feedStatus.classList.toggle("warning", !status.ok);
}

const watcher = client.watch((posts) => view.showServerList(posts), {
  intervalMs: POLL_INTERVAL_MS,
  onStatus: showStatus,
});
// Countdowns move every second and expired posts leave on time, without waiting for the server.
setInterval(() => view.tick(), 1000);
// Background tabs throttle timers; bring the countdowns up to date the moment the tab is seen again.
document.addEventListener("visibilitychange", () => view.tick());

mountComposer(client, {
  onPosted(post) {
    view.addOwn(post);
    watcher.refresh();
  },
  onSignedOut: () => setSession(null),
});

// Whether the dev server offers its sign-in; otherwise the page explains how a host app passes its token.
let devAvailable = false;

/** Every signed-in/out change goes through here, so the page never shows neither the composer nor a way in. */
function setSession(next: Session | null): void {
  session = next;
  saveSession(next);
  byId("account").hidden = !next;
  byId("account-name").textContent = next?.user.username ?? "";
  byId("composer").hidden = !next;
  byId("sign-in").hidden = !devAvailable || next !== null;
  byId("host-auth").hidden = devAvailable || next !== null;
  view.rebuild();
}

async function setUpSignIn(): Promise<void> {
  setSession(session);
  devAvailable = await devSignInAvailable(baseUrl);
  setSession(session);
  if (!devAvailable) return;

  const form = byId<HTMLFormElement>("sign-in-form");
  const name = byId<HTMLInputElement>("sign-in-name");
  const error = byId("sign-in-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      setSession(await devSignIn(baseUrl, name.value.trim()));
      byId("media").focus();
    } catch (problem) {
      error.textContent = problem instanceof FeedClientError ? problem.message : "Could not sign in.";
    }
  });
  byId("sign-out").addEventListener("click", () => {
    setSession(null);
    name.focus();
  });
}

void setUpSignIn();
