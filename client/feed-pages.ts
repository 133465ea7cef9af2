// The posts a watch has loaded: a first page kept live by polling, and the older pages loaded after it on request.
import type { FeedPage, Post } from "../lib/schemas.js";
import {
  type Connectivity,
  type FeedWatch,
  type FetchPage,
  type Visibility,
  type WatchOptions,
  watchFeed,
} from "./feed-watch.js";

/** What a watch knows besides its posts. */
export interface WatchState {
  /** Older posts remain: offer "load more". */
  hasMore: boolean;
  /** The server's post lifetime, from the last page read. */
  ttlSeconds: number;
}

export interface PagesDeps {
  fetchFirst: FetchPage<FeedPage>;
  fetchOlder(cursor: string): Promise<FeedPage>;
  isLive(post: Post): boolean;
  ttlSeconds(): number;
}

export interface PageOfPosts {
  items: Post[];
  nextCursor: string | null;
}

export interface LoadedPosts {
  /** A fresh first page: posts in its range it no longer lists are gone; posts older than its range stay. */
  setFirst(page: PageOfPosts): void;
  /** The page that followed `cursor()`. */
  addOlder(page: PageOfPosts): void;
  /** Where the next older page starts, or null when the whole feed is loaded. */
  cursor(): string | null;
  /** Live posts, newest first, each once; expired ones are forgotten. */
  posts(isLive: (post: Post) => boolean): Post[];
}

/** The server's order: newest first, ties by id descending (lib/feed/paging.ts). */
export function newestFirst(a: Post, b: Post): number {
  return b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
}

export function createLoadedPosts(): LoadedPosts {
  let byId = new Map<string, Post>();
  let firstCursor: string | null = null;
  // undefined until an older page is loaded: the chain then continues from where that page ended.
  let olderCursor: string | null | undefined;

  return {
    setFirst({ items, nextCursor }) {
      firstCursor = nextCursor;
      if (nextCursor === null || items.length === 0) {
        // The first page is the whole feed: nothing else is live.
        byId = new Map(items.map((post) => [post.id, post]));
        olderCursor = undefined;
        return;
      }
      const oldest = items.reduce((a, b) => (newestFirst(a, b) > 0 ? a : b));
      const listed = new Set(items.map((post) => post.id));
      for (const [id, post] of byId) if (!listed.has(id) && newestFirst(post, oldest) <= 0) byId.delete(id);
      for (const post of items) byId.set(post.id, post);
    },
    addOlder({ items, nextCursor }) {
      for (const post of items) byId.set(post.id, post);
      olderCursor = nextCursor;
    },
    cursor: () => (olderCursor === undefined ? firstCursor : olderCursor),
    posts(isLive) {
      for (const [id, post] of byId) if (!isLive(post)) byId.delete(id);
      return [...byId.values()].sort(newestFirst);
    },
  };
}

/** Polls the first page and loads older pages on request; `onChange` always gets every loaded live post. */
export function watchPages(
  deps: PagesDeps,
  onChange: (posts: Post[], state: WatchState) => void,
  options: WatchOptions,
  environment: { visibility?: Visibility; connectivity?: Connectivity },
): FeedWatch {
  const loaded = createLoadedPosts();
  let firstArrived = false;
  let loading: Promise<boolean> | undefined;
  const hasMore = () => firstArrived && loaded.cursor() !== null;
  const emit = () => onChange(loaded.posts(deps.isLive), { hasMore: hasMore(), ttlSeconds: deps.ttlSeconds() });

  const polling = watchFeed<FeedPage>(
    deps.fetchFirst,
    (page) => {
      firstArrived = true;
      loaded.setFirst(page);
      emit();
    },
    options,
    environment,
  );

  async function loadOlder(): Promise<boolean> {
    const cursor = loaded.cursor();
    if (!firstArrived || cursor === null) return hasMore();
    loaded.addOlder(await deps.fetchOlder(cursor));
    emit();
    return hasMore();
  }

  return {
    ...polling,
    hasMore,
    loadMore() {
      loading ??= loadOlder().finally(() => {
        loading = undefined;
      });
      return loading;
    },
  };
}
