// The browser client against msw (the feed API and Cloudinary's upload endpoint); any unplanned request fails a test.
import { delay, HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { formatTimeLeft } from "../../client/feed-client.js";
import { MAX_TEXT_CHARS } from "../../lib/schemas.js";
import {
  API,
  CLOUDINARY_ANSWER,
  clientFor,
  makePost,
  photo,
  refusedHeaders,
  rejection,
  SIGNED_FIELDS,
  signing,
  UPLOAD_URL,
  useClientServer,
} from "../support/feed-client-fixtures.js";

const server = useClientServer();

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

it("reads Retry-After from a cross-origin upload only when it is exposed, so the browser logs no refusal", async () => {
  const busy = (headers: Record<string, string>) => () =>
    HttpResponse.json({ error: { message: "busy" } }, { status: 503, headers: { "Retry-After": "7", ...headers } });
  server.use(signing(), http.post(UPLOAD_URL, busy({})));
  const hidden = await rejection(clientFor().post(photo()));
  expect([hidden.code, hidden.retryAfterSeconds, refusedHeaders]).toEqual(["unavailable", undefined, []]);

  server.use(signing(), http.post(UPLOAD_URL, busy({ "Access-Control-Expose-Headers": "Retry-After" })));
  const exposed = await rejection(clientFor().post(photo()));
  expect([exposed.code, exposed.retryAfterSeconds, refusedHeaders]).toEqual(["unavailable", 7, []]);
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
