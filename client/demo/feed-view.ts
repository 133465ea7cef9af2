// The demo's feed: one list item per live post, newest first, each counting down and leaving when its time is up.
import type { Post } from "../feed-client.js";
import { focusElement } from "./dom.js";
import { text } from "./i18n/index.js";
import { createPostCard, type PostCard } from "./post-card.js";
import { addDeleteControls } from "./post-delete.js";

export interface FeedViewDeps {
  expiresAt(post: Post): number;
  currentUserId(): string | null;
  /** Resolves once the post is deleted; rejects with the reason it could not be (shown on its card). */
  remove(post: Post): Promise<void>;
  /** Where focus goes when it was on a card that has just left (the feed's heading). */
  fallbackFocus: HTMLElement;
}

export interface FeedView {
  showServerList(posts: Post[]): void;
  /** The user's own new post, shown before a (possibly CDN-cached) server list includes it. */
  addOwn(post: Post): void;
  /** Moves focus to a post's card, e.g. the one just posted. */
  focusPost(id: string): void;
  /** Rebuilds every item, e.g. when who is signed in (and so who may delete what) changes. */
  rebuild(): void;
  tick(): void;
}

/** What the feed knows: the server's last list, the user's own posts it may not list yet, and deletes made here. */
interface FeedState {
  server: Post[];
  ownPending: Map<string, Post>;
  /** Deleted here: a list fetched just before the delete must not bring them back. */
  deleted: Set<string>;
  /** Until the first list arrives, "nothing here" would be a guess. */
  loaded: boolean;
}

/** Live posts, newest first, each once. */
function visiblePosts(state: FeedState, expiresAt: (post: Post) => number, now: number): Post[] {
  const byId = new Map<string, Post>();
  for (const post of [...state.ownPending.values(), ...state.server]) byId.set(post.id, post);
  return [...byId.values()]
    .filter((post) => !state.deleted.has(post.id) && expiresAt(post) > now)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}

export function createFeedView(list: HTMLUListElement, empty: HTMLElement, deps: FeedViewDeps): FeedView {
  const cards = new Map<string, PostCard>();
  const state: FeedState = { server: [], ownPending: new Map(), deleted: new Set(), loaded: false };

  function removeCard(id: string, card: PostCard): void {
    const hadFocus = card.item.contains(document.activeElement);
    card.item.remove();
    cards.delete(id);
    if (hadFocus) focusElement(deps.fallbackFocus);
  }

  function render(): void {
    const now = Date.now();
    const posts = visiblePosts(state, deps.expiresAt, now);
    const live = new Set(posts.map((post) => post.id));
    for (const [id, card] of cards) if (!live.has(id)) removeCard(id, card);
    posts.forEach((post, index) => {
      let card = cards.get(post.id);
      if (!card) {
        card = createCard(post, deps, () => {
          state.deleted.add(post.id);
          render();
        });
        cards.set(post.id, card);
      }
      // Only new or reordered items move, so a playing video keeps playing.
      const at = list.children[index] ?? null;
      if (at !== card.item) list.insertBefore(card.item, at);
      card.timeLeft.textContent = text.timeLeft(deps.expiresAt(post) - now);
    });
    empty.hidden = !state.loaded || posts.length > 0;
  }

  return {
    showServerList(posts) {
      state.server = posts;
      state.loaded = true;
      for (const post of posts) state.ownPending.delete(post.id);
      render();
    },
    addOwn(post) {
      state.ownPending.set(post.id, post);
      render();
    },
    focusPost(id) {
      const card = cards.get(id);
      if (card) focusElement(card.item);
    },
    rebuild() {
      for (const card of cards.values()) card.item.remove();
      cards.clear();
      render();
    },
    tick: render,
  };
}

/** A post's card; its author also gets Delete (with undo). */
function createCard(post: Post, deps: FeedViewDeps, onDeleted: () => void): PostCard {
  const card = createPostCard(post, deps.expiresAt(post));
  if (post.userId === deps.currentUserId()) addDeleteControls(post, card.item, { remove: deps.remove, onDeleted });
  return card;
}
