// The typed browser client for the feed API: post (sign → direct upload with progress → publish), list, remove, watch.

import { DEFAULT_TTL_SECONDS, MAX_MEDIA_BYTES } from "../lib/limits.js";
import type { CloudinaryUpload, FeedPage, MediaType, Post, UploadSignature } from "../lib/schemas.js";
import { abortedError, errorFromResponse, errorFromStatus, FeedClientError, networkError } from "./feed-errors.js";
import { type FeedWatch, type Visibility, type WatchOptions, watchFeed } from "./feed-watch.js";
import { checkCaption, checkFile, type FileInfo, type ReadableFile, verifyFile } from "./file-check.js";
import { type RetryPolicy, withRetries } from "./retry.js";
import { expiresAt } from "./time-left.js";
import { type FormResult, sendForm } from "./upload.js";

export type { FeedPage, MediaType, Post } from "../lib/schemas.js";
export { type ImageSources, imageSources, type VideoSources, videoSources } from "./delivery.js";
export { FeedClientError } from "./feed-errors.js";
export type { FeedWatch, WatchOptions, WatchStatus } from "./feed-watch.js";
export { allowedFormatsText } from "./file-format.js";
export { formatTimeLeft } from "./time-left.js";

type MaybePromise<T> = T | Promise<T>;

export interface FeedClientOptions {
  /** Where the feed API is served, e.g. `location.origin` or "https://chat.example.com". */
  baseUrl: string;
  /** The signed-in user's bearer token (the host app's JWT), or null/undefined when nobody is signed in. */
  getToken: () => MaybePromise<string | null | undefined>;
  /** Largest file accepted per media type, in bytes (default 10 MB images, 100 MB videos). */
  maxBytes?: Partial<Record<MediaType, number>>;
  /** The server's FEED_TTL_SECONDS, so posts leave the screen when they leave the server (default 3600). */
  ttlSeconds?: number;
  /** Whether the page is visible; the browser's document by default (tests pass their own). */
  visibility?: Visibility;
}

export interface PostOptions {
  /** Upload progress, 0 to 1, from real bytes sent. */
  onProgress?: (fraction: number) => void;
  /** Aborts whichever step is running, or the wait before a retry; the promise rejects with code "aborted". */
  signal?: AbortSignal;
}

export interface FeedClient {
  post(file: File, text?: string, options?: PostOptions): Promise<Post>;
  list(query?: { limit?: number; cursor?: string }): Promise<FeedPage>;
  remove(id: string): Promise<void>;
  watch(onChange: (posts: Post[]) => void, options?: WatchOptions & { limit?: number }): FeedWatch;
  /** The media type a file would be posted as, judged by its MIME type (synchronous, for a quick preview). */
  checkFile(file: FileInfo): MediaType;
  /** The media type judged by the file's first bytes, as `post` does before any request; rejects with a reason. */
  verifyFile(file: ReadableFile): Promise<MediaType>;
  /** When the post disappears, in epoch milliseconds. */
  expiresAt(post: Pick<Post, "createdAt">): number;
}

// The watch loop shows the newest posts; a feed that lives one hour rarely has more on one screen.
const DEFAULT_WATCH_LIMIT = 50;
// Publishing is idempotent, so a 503 or a lost answer is worth two more tries: 1 s then 2 s apart (or as Retry-After
// says, up to 10 s), enough to ride out a brief outage without leaving someone staring at a finished upload for long.
const PUBLISH_RETRY: RetryPolicy = { attempts: 3, backoffMs: [1000, 2000], maxWaitMs: 10_000 };

export function createFeedClient(options: FeedClientOptions): FeedClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const maxBytes = { ...MAX_MEDIA_BYTES, ...options.maxBytes };
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_TTL_SECONDS;

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

  async function list({ limit, cursor }: { limit?: number; cursor?: string } = {}): Promise<FeedPage> {
    const query = new URLSearchParams();
    if (limit !== undefined) query.set("limit", String(limit));
    if (cursor !== undefined) query.set("cursor", cursor);
    const search = query.toString();
    const response = await request(`/api/feed${search ? `?${search}` : ""}`, { headers: await authorization(false) });
    return (await response.json()) as FeedPage;
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

  function watch(onChange: (posts: Post[]) => void, watchOptions: WatchOptions & { limit?: number } = {}) {
    const limit = watchOptions.limit ?? DEFAULT_WATCH_LIMIT;
    return watchFeed(
      async (etag, signal) => {
        const headers: Record<string, string> = { ...(await authorization(false)) };
        if (etag) headers["If-None-Match"] = etag;
        // no-store: the browser cache would turn the server's 304 back into a 200, hiding that nothing changed.
        const response = await request(`/api/feed?limit=${limit}`, { headers, signal, cache: "no-store" });
        if (response.status === 304) return null;
        const page = (await response.json()) as FeedPage;
        // A CDN may serve a page a few seconds old: never show a post whose time is already up.
        const now = Date.now();
        const items = page.items.filter((item) => expiresAt(item, ttlSeconds) > now);
        return { etag: response.headers.get("ETag"), items };
      },
      onChange,
      watchOptions,
      options.visibility,
    );
  }

  return {
    post,
    list,
    remove,
    watch,
    checkFile: (file) => checkFile(file, maxBytes),
    verifyFile: (file) => verifyFile(file, maxBytes),
    expiresAt: (item) => expiresAt(item, ttlSeconds),
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
