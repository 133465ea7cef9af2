// Shared by the browser client's tests: an msw server for the feed API and Cloudinary, an XHR for Node, fixtures.
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, vi } from "vitest";
import { createFeedClient, type FeedClientOptions } from "../../client/feed-client.js";
import type { FeedClientError } from "../../client/feed-errors.js";
import type { Post } from "../../lib/schemas.js";
import { fileOf, PREFIXES } from "./media-prefixes.js";

export const API = "https://feed.test";
export const UPLOAD_URL = "https://api.cloudinary.test/v1_1/demo/image/upload";
export const SIGNED_FIELDS = {
  api_key: "key",
  timestamp: "1700000000",
  public_id: "feed/u1/abcdefghij12",
  signature: "f".repeat(40),
};
export const CLOUDINARY_ANSWER = {
  public_id: SIGNED_FIELDS.public_id,
  version: 1700000000,
  signature: "a".repeat(40),
  resource_type: "image",
  format: "png",
};

// Headers a cross-origin response always exposes (the Fetch standard's CORS-safelisted response header names).
const SAFELISTED = ["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified"];
/** Every time code asked an XHR for a header the browser hides from it (Chromium logs "Refused to get unsafe header"). */
export const refusedHeaders: string[] = [];

/**
 * Node has no XMLHttpRequest: a minimal one over fetch, so msw answers the upload and the client's XHR code runs.
 * Like a browser on a cross-origin upload, it exposes only safelisted headers and those in Access-Control-Expose-Headers.
 */
class FetchBackedXhr {
  readonly upload = {
    onprogress: null as ((event: Partial<ProgressEvent>) => void) | null,
    onload: null as (() => void) | null,
  };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  status = 0;
  responseText = "";
  #url = "";
  #headers = new Headers();
  #abort = new AbortController();
  open(_method: string, url: string) {
    this.#url = url;
  }
  #exposed = (name: string) => {
    const listed = (this.#headers.get("access-control-expose-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    return SAFELISTED.includes(name.toLowerCase()) || listed.includes(name.toLowerCase());
  };
  getResponseHeader = (name: string) => {
    if (this.#exposed(name)) return this.#headers.get(name);
    refusedHeaders.push(name);
    return null;
  };
  getAllResponseHeaders = () =>
    [...this.#headers]
      .filter(([name]) => this.#exposed(name))
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
  abort = () => this.#abort.abort();
  send(body: FormData) {
    const request = new Request(this.#url, { method: "POST", body, signal: this.#abort.signal });
    void (async () => {
      try {
        const total = (await request.clone().arrayBuffer()).byteLength;
        this.upload.onprogress?.({ lengthComputable: true, loaded: total / 2, total });
        this.upload.onload?.();
        const response = await fetch(request);
        Object.assign(this, { status: response.status, responseText: await response.text() });
        this.#headers = response.headers;
        this.onload?.();
      } catch {
        (this.#abort.signal.aborted ? this.onabort : this.onerror)?.();
      }
    })();
  }
}

/** Starts msw for the calling test file (unplanned requests fail the test) with the XHR stand-in installed. */
export function useClientServer() {
  const server = setupServer();
  beforeAll(() => {
    server.listen({ onUnhandledRequest: "error" });
    // After listen: msw wraps any XMLHttpRequest present at listen time, and this one already goes through fetch.
    vi.stubGlobal("XMLHttpRequest", FetchBackedXhr);
  });
  afterEach(() => {
    server.resetHandlers();
    vi.useRealTimers();
  });
  afterAll(() => {
    vi.unstubAllGlobals();
    server.close();
  });
  return server;
}

export const CREATED_AT = new Date().toISOString();
export const makePost = (overrides: Partial<Post> = {}): Post => ({
  id: "abcdefghij12",
  userId: "u1",
  username: "Ada",
  text: "hello",
  mediaUrl: "https://res.cloudinary.com/demo/image/upload/v1/feed/u1/abcdefghij12.png",
  mediaType: "image",
  cloudinaryPublicId: SIGNED_FIELDS.public_id,
  createdAt: CREATED_AT,
  ...overrides,
});
export const clientFor = (options: Partial<FeedClientOptions> = {}) =>
  createFeedClient({ baseUrl: API, getToken: () => "token-ada", ...options });
// A PNG's real first bytes: the client reads them before it uploads anything.
export const photo = (size = 2048) => fileOf(PREFIXES.png.bytes, "sunset.png", "image/png", size);
export const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("expected a rejection"),
    (e: FeedClientError) => e,
  );
export const signing = () =>
  http.post(`${API}/api/feed/upload-signature`, () =>
    HttpResponse.json({ uploadUrl: UPLOAD_URL, fields: SIGNED_FIELDS }),
  );
