// The browser client against msw (the feed API and Cloudinary's upload endpoint); any unplanned request fails a test.
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createFeedClient, type FeedClientOptions, formatTimeLeft } from "../client/feed-client.js";
import type { FeedClientError } from "../client/feed-errors.js";
import { MAX_TEXT_CHARS, type Post } from "../lib/schemas.js";

const API = "https://feed.test";
const UPLOAD_URL = "https://api.cloudinary.test/v1_1/demo/image/upload";
const SIGNED_FIELDS = {
  api_key: "key",
  timestamp: "1700000000",
  public_id: "feed/u1/abcdefghij12",
  signature: "f".repeat(40),
};
const CLOUDINARY_ANSWER = {
  public_id: SIGNED_FIELDS.public_id,
  version: 1700000000,
  signature: "a".repeat(40),
  resource_type: "image",
  format: "png",
};

/** Node has no XMLHttpRequest: a minimal one over fetch, so msw answers the upload and the client's XHR code runs. */
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
  getResponseHeader = (name: string) => this.#headers.get(name);
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

const CREATED_AT = new Date().toISOString();
const makePost = (overrides: Partial<Post> = {}): Post => ({
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
const clientFor = (options: Partial<FeedClientOptions> = {}) =>
  createFeedClient({ baseUrl: API, getToken: () => "token-ada", ...options });
const photo = (size = 2048) => new File([new Uint8Array(size)], "sunset.png", { type: "image/png" });
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("expected a rejection"),
    (e: FeedClientError) => e,
  );
const signing = () =>
  http.post(`${API}/api/feed/upload-signature`, () =>
    HttpResponse.json({ uploadUrl: UPLOAD_URL, fields: SIGNED_FIELDS }),
  );

describe("post", () => {
  it("signs, sends the signed fields and the file to Cloudinary, then publishes that upload with the caption", async () => {
    const seen: { signBody?: unknown; auth?: string | null; form?: FormData; publishBody?: unknown } = {};
    server.use(
      http.post(`${API}/api/feed/upload-signature`, async ({ request }) => {
        seen.signBody = await request.json();
        seen.auth = request.headers.get("authorization");
        return HttpResponse.json({ uploadUrl: UPLOAD_URL, fields: SIGNED_FIELDS });
      }),
      http.post(UPLOAD_URL, async ({ request }) => {
        seen.form = await request.formData();
        return HttpResponse.json({ ...CLOUDINARY_ANSWER, secure_url: "https://elsewhere.test/x.png" });
      }),
      http.post(`${API}/api/feed`, async ({ request }) => {
        seen.publishBody = await request.json();
        return HttpResponse.json(makePost({ text: "Sunset" }), { status: 201 });
      }),
    );
    const progress: number[] = [];
    const post = await clientFor().post(photo(), "Sunset", { onProgress: (fraction) => progress.push(fraction) });

    expect(post.text).toBe("Sunset");
    expect(seen.signBody).toEqual({ mediaType: "image" });
    expect(seen.auth).toBe("Bearer token-ada");
    for (const [name, value] of Object.entries(SIGNED_FIELDS)) expect(seen.form?.get(name)).toBe(value);
    const file = seen.form?.get("file") as File;
    expect([file.name, file.type, file.size]).toEqual(["sunset.png", "image/png", 2048]);
    // Cloudinary's whole answer is handed on; the server decides which fields it trusts.
    expect(seen.publishBody).toEqual({
      text: "Sunset",
      upload: { ...CLOUDINARY_ANSWER, secure_url: "https://elsewhere.test/x.png" },
    });
    expect(progress).toEqual([...progress].sort());
    expect(progress.at(-1)).toBe(1);
    expect(progress[0]).toBeLessThan(1);
  });

  it("refuses a file that is not a photo or video, before any request", async () => {
    const pdf = new File(["%PDF"], "cv.pdf", { type: "application/pdf" });
    const error = await rejection(clientFor().post(pdf, "hi"));
    expect(error.code).toBe("unsupported_file");
    expect(error.message).toBe("Choose a photo or a video (this file is application/pdf).");
  });

  it("limits size per media type: 10 MB photos and 100 MB videos by default, configurable", async () => {
    const client = clientFor();
    expect(client.checkFile({ type: "image/jpeg", size: 10 * 1024 * 1024 })).toBe("image");
    expect(() => client.checkFile({ type: "image/jpeg", size: 10 * 1024 * 1024 + 1 })).toThrow(
      "This photo is 10.1 MB; the limit is 10 MB.",
    );
    expect(client.checkFile({ type: "video/mp4", size: 100 * 1024 * 1024 })).toBe("video");
    expect(() => client.checkFile({ type: "video/mp4", size: 100 * 1024 * 1024 + 1 })).toThrow("the limit is 100 MB");
    const error = await rejection(clientFor({ maxBytes: { image: 1000 } }).post(photo(2048)));
    expect([error.code, error.message]).toEqual(["file_too_large", "This photo is 2 KB; the limit is 1 KB."]);
  });

  it("refuses a caption over the server's limit before uploading, counting an emoji once", async () => {
    const error = await rejection(clientFor().post(photo(), "x".repeat(MAX_TEXT_CHARS + 1)));
    expect(error.code).toBe("caption_too_long");
    server.use(
      signing(),
      http.post(UPLOAD_URL, () => HttpResponse.json(CLOUDINARY_ANSWER)),
    );
    server.use(http.post(`${API}/api/feed`, () => HttpResponse.json(makePost(), { status: 201 })));
    await expect(clientFor().post(photo(), "🌅".repeat(MAX_TEXT_CHARS))).resolves.toMatchObject({ id: "abcdefghij12" });
  });

  it("cancels an upload in flight through the signal and never publishes", async () => {
    const controller = new AbortController();
    const published = vi.fn();
    server.use(
      signing(),
      http.post(UPLOAD_URL, async () => {
        controller.abort();
        await delay("infinite");
        return HttpResponse.json(CLOUDINARY_ANSWER);
      }),
      http.post(`${API}/api/feed`, published),
    );
    const error = await rejection(clientFor().post(photo(), "", { signal: controller.signal }));
    expect([error.code, error.message]).toEqual(["aborted", "The upload was cancelled."]);
    expect(published).not.toHaveBeenCalled();
  });

  it("says who must act: not signed in, rate limited (with Retry-After), offline, refused by Cloudinary", async () => {
    expect((await rejection(clientFor({ getToken: () => null }).post(photo()))).code).toBe("not_signed_in");

    const limited = { error: { code: "rate_limited", message: "Too many uploads." } };
    server.use(
      http.post(`${API}/api/feed/upload-signature`, () =>
        HttpResponse.json(limited, { status: 429, headers: { "Retry-After": "30" } }),
      ),
    );
    const tooFast = await rejection(clientFor().post(photo()));
    expect([tooFast.code, tooFast.retryAfterSeconds, tooFast.message]).toEqual([
      "rate_limited",
      30,
      "You're going too fast. Try again in 30 s.",
    ]);

    server.use(http.post(`${API}/api/feed/upload-signature`, () => HttpResponse.error()));
    expect((await rejection(clientFor().post(photo()))).code).toBe("offline");

    server.use(
      signing(),
      http.post(UPLOAD_URL, () => HttpResponse.json({ error: { message: "Invalid Signature" } }, { status: 401 })),
    );
    const refused = await rejection(clientFor().post(photo()));
    expect([refused.code, refused.message]).toEqual([
      "upload_rejected",
      "The media service refused the file: Invalid Signature",
    ]);
  });
});

describe("list and remove", () => {
  it("lists a page with limit, cursor and the token", async () => {
    server.use(
      http.get(`${API}/api/feed`, ({ request }) => {
        const url = new URL(request.url);
        expect([
          url.searchParams.get("limit"),
          url.searchParams.get("cursor"),
          request.headers.get("authorization"),
        ]).toEqual(["2", "abc", "Bearer token-ada"]);
        return HttpResponse.json({ items: [makePost()], nextCursor: "next" });
      }),
    );
    expect(await clientFor().list({ limit: 2, cursor: "abc" })).toEqual({ items: [makePost()], nextCursor: "next" });
  });

  it("removes with the token, treats an already-expired post (404) as removed, and reports a 403", async () => {
    const deleted: string[] = [];
    server.use(
      http.delete(`${API}/api/feed/:id`, ({ params, request }) => {
        expect(request.headers.get("authorization")).toBe("Bearer token-ada");
        deleted.push(String(params.id));
        if (params.id === "gone")
          return HttpResponse.json({ error: { code: "not_found", message: "gone" } }, { status: 404 });
        if (params.id === "theirs")
          return HttpResponse.json(
            { error: { code: "forbidden", message: "Only the author can delete this post." } },
            { status: 403 },
          );
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await clientFor().remove("mine");
    await clientFor().remove("gone");
    const error = await rejection(clientFor().remove("theirs"));
    expect([error.code, error.message]).toEqual(["forbidden", "Only the author can delete this post."]);
    expect(deleted).toEqual(["mine", "gone", "theirs"]);
  });
});

describe("watch", () => {
  /** Answers GET /api/feed from a script of responses, recording each request's If-None-Match. */
  function scriptFeed(...answers: (() => Response)[]) {
    const etagsSent: (string | null)[] = [];
    server.use(
      http.get(`${API}/api/feed`, ({ request }) => {
        etagsSent.push(request.headers.get("if-none-match"));
        return (answers.shift() ?? (() => new HttpResponse(null, { status: 304 })))();
      }),
    );
    return etagsSent;
  }
  const page =
    (etag: string, ...items: Post[]) =>
    () =>
      HttpResponse.json({ items, nextCursor: null }, { headers: { ETag: etag } });
  const unavailable = () =>
    HttpResponse.json(
      { error: { code: "service_unavailable", message: "down" } },
      { status: 503, headers: { "Retry-After": "5" } },
    );

  it("sends the last ETag as If-None-Match and treats 304 as no change", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const etagsSent = scriptFeed(page('"v1"', makePost()));
    const onChange = vi.fn();
    const watch = clientFor().watch(onChange, { intervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(2500);
    watch.stop();
    expect(etagsSent).toEqual([null, '"v1"', '"v1"']);
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.calls[0][0]).toEqual([makePost()]);
  });

  it("keeps the last good list through a 503 and waits at least Retry-After before polling again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const etagsSent = scriptFeed(page('"v1"', makePost()), unavailable, page('"v2"'));
    const onChange = vi.fn();
    const statuses: string[] = [];
    const watch = clientFor().watch(onChange, {
      intervalMs: 1000,
      onStatus: (s) => statuses.push(s.ok ? "ok" : s.error.code),
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(statuses).toEqual(["ok", "unavailable"]);
    await vi.advanceTimersByTimeAsync(4900);
    expect(etagsSent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(200);
    watch.stop();
    expect(etagsSent).toEqual([null, '"v1"', '"v1"']);
    expect(onChange.mock.calls.map(([posts]) => posts.length)).toEqual([1, 0]);
  });

  it("pauses while the tab is hidden and polls at once when it is shown again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let hidden = false;
    let notify = () => {};
    const visibility = {
      hidden: () => hidden,
      subscribe(listener: () => void) {
        notify = listener;
        return () => {};
      },
    };
    const etagsSent = scriptFeed(page('"v1"'));
    const watch = clientFor({ visibility }).watch(() => {}, { intervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(10);
    hidden = true;
    notify();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(etagsSent).toHaveLength(1);
    hidden = false;
    notify();
    await vi.advanceTimersByTimeAsync(10);
    watch.stop();
    expect(etagsSent).toEqual([null, '"v1"']);
  });

  it("never hands over a post whose hour is up, even when a cached page still lists it", async () => {
    const expired = makePost({ id: "oldoldold123", createdAt: new Date(Date.now() - 3601_000).toISOString() });
    scriptFeed(page('"v1"', makePost(), expired));
    const posts = await new Promise<Post[]>((resolve) => {
      const watch = clientFor().watch((items) => {
        watch.stop();
        resolve(items);
      });
    });
    expect(posts.map((post) => post.id)).toEqual(["abcdefghij12"]);
  });
});

it("formats time left in whole units, never rounding up", () => {
  expect([3_600_000, 3_599_999, 61_000, 59_999, 999, -5].map(formatTimeLeft)).toEqual([
    "1h 0m left",
    "59m left",
    "1m left",
    "59s left",
    "0s left",
    "0s left",
  ]);
});
