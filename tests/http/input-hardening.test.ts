// Bad input is a clear 4xx and writes nothing; fuzzed bodies and query strings never produce a 5xx.
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import * as feed from "../../api/feed/index.js";
import { MAX_BODY_BYTES } from "../../lib/http/json.js";
import type { CloudinaryUpload } from "../../lib/schemas.js";
import type { MemoryStore } from "../../lib/store/memory-store.js";
import { jsonRequest, POST_FIELDS, signedUpload, tokenFor, useTestApp } from "../support/test-app.js";

let ctx: ReturnType<typeof useTestApp>;
let token: string;
let upload: CloudinaryUpload;
beforeEach(async () => {
  ctx = useTestApp({ RATE_LIMIT: "off" });
  token = await tokenFor("alice");
  upload = await signedUpload(ctx, token);
});

async function storedPostCount(): Promise<number> {
  return (await (ctx.store as MemoryStore).scanPosts(null, "feed:*", 1000)).keys.length;
}

async function expectRefused(request: Request, status: number, code: string) {
  const response = await feed.POST(request);
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect((await response.json()).error.code).toBe(code);
  expect(await storedPostCount()).toBe(0);
}

describe("POST /api/feed refuses bad input and stores nothing", () => {
  it("malformed JSON → 400", () => expectRefused(jsonRequest("/api/feed", "POST", "{", token), 400, "invalid_json"));

  it("wrong content type → 415", () =>
    expectRefused(
      jsonRequest("/api/feed", "POST", JSON.stringify({ upload }), token, { "content-type": "text/plain" }),
      415,
      "unsupported_media_type",
    ));

  it("a body over the cap → 413, declared or streamed", async () => {
    const big = JSON.stringify({ text: "x".repeat(MAX_BODY_BYTES), upload });
    await expectRefused(jsonRequest("/api/feed", "POST", big, token), 413, "payload_too_large");
    const chunk = new TextEncoder().encode("x".repeat(8192));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ > MAX_BODY_BYTES / 8192 + 1) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const streamed = new Request("http://localhost/api/feed", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await expectRefused(streamed, 413, "payload_too_large");
  });

  // `upload: true` stands for the valid upload; objects are merged over it.
  it.each<[string, { text?: unknown; upload?: unknown }]>([
    ["a missing upload", { text: "hi" }],
    ["a wrong-typed caption", { text: 42, upload: true }],
    ["a caption over 2,200 characters", { text: "é".repeat(2201), upload: true }],
    ["a control character", { text: "bell\u0007", upload: true }],
    ["a lone surrogate", { text: "broken \ud800 pair", upload: true }],
    ["a raw (non-media) upload", { text: "", upload: { resource_type: "raw" } }],
  ])("%s → 400", (_name, body) => {
    const merged =
      body.upload === true ? upload : typeof body.upload === "object" ? { ...upload, ...body.upload } : body.upload;
    return expectRefused(jsonRequest("/api/feed", "POST", { ...body, upload: merged }, token), 400, "invalid_request");
  });

  it("accepts exactly 2,200 characters, counting emoji as one each", async () => {
    const response = await feed.POST(jsonRequest("/api/feed", "POST", { text: "😀".repeat(2200), upload }, token));
    expect(response.status).toBe(201);
  });
});

describe("unknown and hostile fields", () => {
  it("ignores unknown body fields and __proto__/constructor keys: never stored, no prototype touched", async () => {
    const body = `{"text":"ok","upload":${JSON.stringify(upload)},"extra":1,"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`;
    const response = await feed.POST(jsonRequest("/api/feed", "POST", body, token));
    expect(response.status).toBe(201);
    const post = await response.json();
    const [stored] = await ctx.store.getValues([`feed:${post.id}`]);
    expect(Object.keys(JSON.parse(String(stored)))).toEqual(POST_FIELDS);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // In a query they are unknown parameters, refused like any other (a page URL must not have free variants).
    const query = await feed.GET(jsonRequest("/api/feed?__proto__=x&constructor=y&limit=5", "GET"));
    expect(query.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("fuzzing", () => {
  it("never answers 5xx to arbitrary POST bodies, and writes only on 201", async () => {
    const valid = () => fc.constant(upload);
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({
        text: fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.anything()),
        upload: fc.oneof(valid(), fc.anything(), fc.object()),
      }),
      fc.record({
        upload: fc.record({
          public_id: fc.string(),
          version: fc.anything(),
          signature: fc.string(),
          resource_type: fc.string(),
          format: fc.string(),
        }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const before = await storedPostCount();
        const raw = typeof value === "string" ? value : JSON.stringify(value);
        const response = await feed.POST(jsonRequest("/api/feed", "POST", raw ?? "null", token));
        expect(response.status).toBeLessThan(500);
        expect(await storedPostCount()).toBe(response.status === 201 ? before + 1 : before);
      }),
      { numRuns: 300 },
    );
  });

  it("never answers 5xx to arbitrary query strings on GET", async () => {
    const params = fc.dictionary(
      fc.constantFrom("limit", "cursor", "x", "__proto__"),
      fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.integer().map(String)),
    );
    await fc.assert(
      fc.asyncProperty(params, async (query) => {
        const search = new URLSearchParams(query).toString();
        const response = await feed.GET(jsonRequest(`/api/feed?${search}`, "GET"));
        expect([200, 400]).toContain(response.status);
      }),
      { numRuns: 300 },
    );
  });
});
