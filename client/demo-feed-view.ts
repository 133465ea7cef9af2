// The demo's feed: one list item per live post, newest first, each counting down and leaving when its time is up.
import type { Post } from "../lib/schemas.js";
import { byId, element, safeMediaUrl } from "./demo-dom.js";
import { formatTimeLeft } from "./time-left.js";

export interface FeedViewDeps {
  expiresAt(post: Post): number;
  currentUserId(): string | null;
  /** Resolves once the post is deleted; rejects (and the button comes back) when it could not be. */
  onDelete(post: Post): Promise<void>;
}

interface Entry {
  item: HTMLLIElement;
  timeLeft: HTMLTimeElement;
}

export interface FeedView {
  showServerList(posts: Post[]): void;
  /** The user's own new post, shown before a (possibly CDN-cached) server list includes it. */
  addOwn(post: Post): void;
  /** Rebuilds every item, e.g. when who is signed in (and so who may delete what) changes. */
  rebuild(): void;
  tick(): void;
}

export function createFeedView(list: HTMLUListElement, empty: HTMLElement, deps: FeedViewDeps): FeedView {
  const entries = new Map<string, Entry>();
  let server: Post[] = [];
  const ownPending = new Map<string, Post>();
  // Deleted here: a list fetched just before the delete must not bring them back.
  const deleted = new Set<string>();

  function visiblePosts(now: number): Post[] {
    const byId = new Map<string, Post>();
    for (const post of [...ownPending.values(), ...server]) byId.set(post.id, post);
    return [...byId.values()]
      .filter((post) => !deleted.has(post.id) && deps.expiresAt(post) > now)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  function render(): void {
    const now = Date.now();
    const posts = visiblePosts(now);
    const live = new Set(posts.map((post) => post.id));
    for (const [id, entry] of entries) {
      if (live.has(id)) continue;
      entry.item.remove();
      entries.delete(id);
    }
    posts.forEach((post, index) => {
      let entry = entries.get(post.id);
      if (!entry) {
        entry = createEntry(post);
        entries.set(post.id, entry);
      }
      // Only new or reordered items move, so a playing video keeps playing.
      const at = list.children[index] ?? null;
      if (at !== entry.item) list.insertBefore(entry.item, at);
      entry.timeLeft.textContent = formatTimeLeft(deps.expiresAt(post) - now);
    });
    empty.hidden = posts.length > 0;
  }

  function createEntry(post: Post): Entry {
    const item = element("li", "post");
    const head = element("div", "post-head");
    const avatar = element("span", "avatar", [...post.username][0]?.toUpperCase() ?? "?");
    avatar.setAttribute("aria-hidden", "true");
    avatar.style.setProperty("--hue", String(hueOf(post.userId)));
    const timeLeft = element("time", "post-time");
    const expiry = new Date(deps.expiresAt(post));
    timeLeft.dateTime = expiry.toISOString();
    timeLeft.title = `Disappears at ${expiry.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
    head.append(avatar, element("span", "post-author", post.username), timeLeft);
    item.append(head, createMedia(post));
    if (post.text) item.append(element("p", "post-caption", post.text));
    if (post.userId === deps.currentUserId()) item.append(createDeleteButton(post));
    return { item, timeLeft };
  }

  function createDeleteButton(post: Post): HTMLElement {
    const actions = element("div", "post-actions");
    const button = element("button", "button-quiet button-danger", "Delete");
    button.type = "button";
    button.addEventListener("click", () => {
      button.disabled = true;
      deps.onDelete(post).then(
        () => {
          deleted.add(post.id);
          render();
          // The button is gone with its post; keep keyboard users in the feed rather than at the top of the page.
          byId("feed-title").focus();
        },
        () => {
          button.disabled = false;
        },
      );
    });
    actions.append(button);
    return actions;
  }

  return {
    showServerList(posts) {
      server = posts;
      for (const post of posts) ownPending.delete(post.id);
      render();
    },
    addOwn(post) {
      ownPending.set(post.id, post);
      render();
    },
    rebuild() {
      for (const entry of entries.values()) entry.item.remove();
      entries.clear();
      render();
    },
    tick: render,
  };
}

function createMedia(post: Post): HTMLElement {
  const frame = element("div", "post-media");
  const url = safeMediaUrl(post.mediaUrl);
  if (!url) {
    frame.append(element("p", "post-media-missing", "This media can't be shown."));
  } else if (post.mediaType === "video") {
    const video = element("video");
    Object.assign(video, { src: url, controls: true, preload: "metadata", playsInline: true });
    video.setAttribute("aria-label", `Video shared by ${post.username}`);
    frame.append(video);
  } else {
    const image = element("img");
    Object.assign(image, { src: url, alt: `Photo shared by ${post.username}`, loading: "lazy", decoding: "async" });
    frame.append(image);
  }
  return frame;
}

/** A stable colour per person, so a glance tells posts apart. */
function hueOf(userId: string): number {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return hash;
}
