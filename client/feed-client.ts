// The typed browser client for the feed API: post (sign → direct upload with progress → publish), pages of the feed,
// people and their posts, remove, and watch.

import { DEFAULT_TTL_SECONDS, MAX_MEDIA_BYTES } from "../lib/content-limits.js";
import type { CloudinaryUpload, FeedPage, MediaType, PeoplePage, Post, UploadSignature } from "../lib/schemas.js";
import { checkCaption } from "./caption.js";
import { abortedError, errorFromResponse, errorFromStatus, FeedClientError, networkError } from "./feed-errors.js";
import { type WatchState, watchPages } from "./feed-pages.js";
import type { Connectivity, FeedWatch, FetchPage, Visibility, WatchOptions } from "./feed-watch.js";
import { checkFile, type FileInfo, type ReadableFile, verifyFile } from "./file-check.js";
import { type RetryPolicy, withRetries } from "./retry.js";
import { expiresAt } from "./time-left.js";
import { type FormResult, sendForm } from "./upload.js";

// The limits a page checks input against before posting: the same constants the server validates with.
export { MAX_MEDIA_BYTES, MAX_TEXT_CHARS } from "../lib/content-limits.js";
export type { FeedPage, MediaType, PeoplePage, Person, Post } from "../lib/schemas.js";
export { captionLength } from "./caption.js";
export { type ImageSources, imageSources, placeholderSource, type VideoSources, videoSources } from "./delivery.js";
// errorFromResponse and networkError: for a page that calls the feed server's other endpoints itself (the dev
// sign-in), so those failures carry the same codes as the client's own.
export {
  type ClientErrorCode,
  type ErrorDetails,
  errorFromResponse,
  FeedClientError,
  networkError,
} from "./feed-errors.js";
export type { WatchState } from "./feed-pages.js";
export type { Connectivity, FeedWatch, Visibility, WatchOptions, WatchStatus } from "./feed-watch.js";
export { allowedFormatNames, allowedFormatsText } from "./file-format.js";
export { formatTimeLeft } from "./time-left.js";

type MaybePromise<T> = T | Promise<T>;

export interface FeedClientOptions {
  /** Where the feed API is served, e.g. `location.origin` or "https://chat.example.com". */
  baseUrl: string;
  /** The signed-in user's bearer token (the host app's JWT), or null/undefined when nobody is signed in. */
  getToken: () => MaybePromise<string | null | undefined>;
  /** Largest file accepted per media type, in bytes (default 10 MB images, 100 MB videos). */
  maxBytes?: Partial<Record<MediaType, number>>;
  /**
   * The server's FEED_TTL_SECONDS, so posts leave the screen when they leave the server, until a page says otherwise:
   * every page carries the server's own `ttlSeconds`, and the client follows it (default 3600).
   */
  ttlSeconds?: number;
  /** Whether the page is visible; the browser's document by default (tests pass their own). */
  visibility?: Visibility;
  /** Whether the browser is online; `navigator.onLine` and the window's online/offline events by default. */
  connectivity?: Connectivity;
}

export interface PageQuery {
  /** 1 to 100 posts (1 to 50 people), 20 by default. */
  limit?: number;
  /** A page's `nextCursor`, to read the page after it. */
  cursor?: string;
}

export interface PostOptions {
  /** Upload progress, 0 to 1, from real bytes sent. */
  onProgress?: (fraction: number) => void;
  /** Aborts whichever step is running, or the wait before a retry; the promise rejects with code "aborted". */
  signal?: AbortSignal;
}

export interface FeedClient {
  post(file: File, text?: string, options?: PostOptions): Promise<Post>;
  /** One page of the feed, newest first; pass its `nextCursor` back as `cursor` for the next. */
  list(query?: PageQuery): Promise<FeedPage>;
  /** Every page of the feed (or of one person's posts), following `nextCursor` until the last. */
  pages(query?: { limit?: number; author?: string }): AsyncGenerator<FeedPage, void, undefined>;
  /** One page of the people with live posts, the one who posted last first, each with their newest post. */
  people(query?: PageQuery): Promise<PeoplePage>;
  /** One page of one person's live posts, newest first; an unknown person has none. */
  postsBy(userId: string, query?: PageQuery): Promise<FeedPage>;
  remove(id: string): Promise<void>;
  /** Keeps the first page live (and older pages, once `loadMore` has loaded them); `onChange` gets every post. */
  watch(onChange: (posts: Post[], state: WatchState) => void, options?: WatchOptions & { limit?: number }): FeedWatch;
  /** The media type a file would be posted as, judged by its MIME type (synchronous, for a quick preview). */
  checkFile(file: FileInfo): MediaType;
  /** The media type judged by the file's first bytes, as `post` does before any request; rejects with a reason. */
  verifyFile(file: ReadableFile): Promise<MediaType>;
  /** When the post disappears, in epoch milliseconds. */
  expiresAt(post: Pick<Post, "createdAt">): number;
  /** How long posts live, in seconds, as the last page read said (the `ttlSeconds` option until then). */
  ttlSeconds(): number;
}

// The watch loop shows the newest posts; a feed that lives one hour rarely has more on one screen.
const DEFAULT_WATCH_LIMIT = 50;
// Publishing is idempotent, so a 503 or a lost answer is worth two more tries: 1 s then 2 s apart (or as Retry-After
// says, up to 10 s), enough to ride out a brief outage without leaving someone staring at a finished upload for long.
const PUBLISH_RETRY: RetryPolicy = { attempts: 3, backoffMs: [1000, 2000], maxWaitMs: 10_000 };
// After a post or a delete, this client's reads send the write's Feed-Sync-Token back (as `sync`) for this long, so a
// read replica shows the writer their own change at once; after it, replicas have long caught up.
const SYNC_WINDOW_MS = 10_000;

export function createFeedClient(options: FeedClientOptions): FeedClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const maxBytes = { ...MAX_MEDIA_BYTES, ...options.maxBytes };
  let ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  let lastWrite: { token: string; until: number } | undefined;
  /** The `sync` parameter of a read shortly after this client's own write, if the server handed it a token. */
  const syncParam = (): { sync?: string } =>
    lastWrite && Date.now() < lastWrite.until ? { sync: lastWrite.token } : {};

  /** Every page read carries the server's lifetime; the client follows it, so countdowns match the server. */
  function learn<T extends { ttlSeconds?: unknown }>(page: T): T {
    if (typeof page.ttlSeconds === "number" && page.ttlSeconds > 0) ttlSeconds = page.ttlSeconds;
    return page;
  }

  async function authorization(required: boolean): Promise<Record<string, string>> {
    const token = await options.getToken();
    if (token) return { Authorization: `Bearer ${token}` };
    if (required) throw new FeedClientError("not_signed_in", "Sign in to do that.");
    return {};
  }

  /** fetch with the client's error mapping: offline, aborted, or the API's own error; 304 is not an error. */
  async function request(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, init);
    } catch {
      throw init.signal?.aborted ? abortedError() : networkError();
    }
    if (!response.ok && response.status !== 304) throw await errorFromResponse(response);
    const token = response.headers.get("Feed-Sync-Token");
    if (token) lastWrite = { token, until: Date.now() + SYNC_WINDOW_MS };
    return response;
  }

  async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const headers = { ...(await authorization(true)), "Content-Type": "application/json" };
    const response = await request(path, { method: "POST", headers, body: JSON.stringify(body), signal });
    return (await response.json()) as T;
  }

  async function post(file: File, text = "", { onProgress, signal }: PostOptions = {}): Promise<Post> {
    const mediaType = await verifyFile(file, maxBytes);
    checkCaption(text);
    if (signal?.aborted) throw abortedError();
    const { uploadUrl, fields } = await postJson<UploadSignature>("/api/feed/upload-signature", { mediaType }, signal);
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append("file", file);
    const upload = uploadResult(await sendForm(uploadUrl, form, { onProgress, signal }));
    // Cloudinary's whole answer goes back: the server verifies its signature and keeps only the fields it trusts.
    // Only this step is retried: the file is already on Cloudinary, and a repeated publish answers with the same post.
    return withRetries(() => postJson<Post>("/api/feed", { text, upload }, signal), PUBLISH_RETRY, signal);
  }

  /** GET with only the given parameters (the API refuses unknown ones), through the client's error mapping. */
  async function read<T extends { ttlSeconds?: unknown }>(path: string, query: Record<string, unknown>): Promise<T> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries({ ...query, ...syncParam() })) {
      if (value !== undefined) search.set(name, String(value));
    }
    const url = search.toString() ? `${path}?${search}` : path;
    const response = await request(url, { headers: await authorization(false) });
    return learn((await response.json()) as T);
  }

  const list = ({ limit, cursor }: PageQuery = {}) => read<FeedPage>("/api/feed", { limit, cursor });
  const postsBy = (author: string, { limit, cursor }: PageQuery = {}) =>
    read<FeedPage>("/api/feed", { author, limit, cursor });

  async function* pages({ limit, author }: { limit?: number; author?: string } = {}) {
    let cursor: string | undefined;
    do {
      const page = await read<FeedPage>("/api/feed", { author, limit, cursor });
      yield page;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  /** Resolves once the post is gone, including when it had already expired (404). */
  async function remove(id: string): Promise<void> {
    const headers = await authorization(true);
    try {
      await request(`/api/feed/${encodeURIComponent(id)}`, { method: "DELETE", headers });
    } catch (error) {
      if (!(error instanceof FeedClientError && error.status === 404)) throw error;
    }
  }

  function watch(
    onChange: (posts: Post[], state: WatchState) => void,
    watchOptions: WatchOptions & { limit?: number } = {},
  ): FeedWatch {
    const limit = watchOptions.limit ?? DEFAULT_WATCH_LIMIT;
    const fetchFirst: FetchPage<FeedPage> = async (etag, signal) => {
      const headers: Record<string, string> = { ...(await authorization(false)) };
      if (etag) headers["If-None-Match"] = etag;
      // no-store: the browser cache would turn the server's 304 back into a 200, hiding that nothing changed.
      const search = new URLSearchParams({ limit: String(limit), ...syncParam() });
      const response = await request(`/api/feed?${search}`, { headers, signal, cache: "no-store" });
      if (response.status === 304) return null;
      return { etag: response.headers.get("ETag"), page: learn((await response.json()) as FeedPage) };
    };
    return watchPages(
      {
        fetchFirst,
        fetchOlder: (cursor) => list({ limit, cursor }),
        // A CDN may serve a page a few seconds old: never show a post whose time is already up.
        isLive: (post) => expiresAt(post, ttlSeconds) > Date.now(),
        ttlSeconds: () => ttlSeconds,
      },
      onChange,
      watchOptions,
      options,
    );
  }

  return {
    post,
    list,
    pages,
    people: ({ limit, cursor }: PageQuery = {}) => read<PeoplePage>("/api/feed/people", { limit, cursor }),
    postsBy,
    remove,
    watch,
    checkFile: (file) => checkFile(file, maxBytes),
    verifyFile: (file) => verifyFile(file, maxBytes),
    expiresAt: (item) => expiresAt(item, ttlSeconds),
    ttlSeconds: () => ttlSeconds,
  };
}

/** Cloudinary answers `{"error":{"message"}}` on failure; its message is meant for developers, so it is wrapped. */
function uploadResult(result: FormResult): CloudinaryUpload {
  if (result.status >= 200 && result.status < 300) return result.body as CloudinaryUpload;
  // Cloudinary's own rate limit answers 420.
  if (result.status === 429 || result.status === 420 || result.status >= 500) {
    throw errorFromStatus(result.status === 420 ? 429 : result.status, null, result.retryAfter);
  }
  const detail = (result.body as { error?: { message?: unknown } } | null)?.error?.message;
  const reason = typeof detail === "string" ? `: ${detail}` : ".";
  throw new FeedClientError("upload_rejected", `The media service refused the file${reason}`, result.status);
}
