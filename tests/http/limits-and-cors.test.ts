// Abuse limits, CORS and cache safety: what a browser, an abuser and a CDN see.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import { cloudinaryUploadFor, jsonRequest, tokenFor, useTestApp } from "../support/test-app.js";

const sign = (token: string) =>
  uploadSignature.POST(jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, token));

afterEach(() => vi.restoreAllMocks());

describe("rate limits", () => {
  it("answers 429 with Retry-After once a user passes the post quota at signing, without slowing other users", async () => {
    const ctx = useTestApp({ RATE_LIMIT_POST_PER_MINUTE: "3" });
    const alice = await tokenFor("alice");
    for (let i = 0; i < 3; i += 1) expect((await sign(alice)).status).toBe(200);
    const limited = await sign(alice);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("60"); // the clock sits on a minute boundary
    expect((await limited.json()).error.code).toBe("rate_limited");
    expect((await sign(await tokenFor("bob"))).status).toBe(200);
    ctx.clock.now += 60_000; // next window
    expect((await sign(alice)).status).toBe(200);
  });

  it("charges the post quota when signing, so a user over it is stopped before uploading, and publishing is free", async () => {
    const ctx = useTestApp({ RATE_LIMIT_POST_PER_MINUTE: "2" });
    const alice = await tokenFor("alice");
    const uploads = [];
    for (let i = 0; i < 2; i += 1) {
      const signed = await sign(alice);
      expect(signed.status).toBe(200);
      uploads.push(cloudinaryUploadFor(await signed.json(), Math.floor(ctx.clock.now / 1000)));
    }
    expect((await sign(alice)).status).toBe(429); // the third post of the minute: refused before any upload
    for (const upload of uploads) {
      expect((await feed.POST(jsonRequest("/api/feed", "POST", { upload }, alice))).status).toBe(201);
    }
    expect((await feed.POST(jsonRequest("/api/feed", "POST", { upload: uploads[0] }, alice))).status).toBe(200);
  });

  it("says to retry when the next minute starts", async () => {
    const ctx = useTestApp({ RATE_LIMIT_POST_PER_MINUTE: "1" });
    ctx.clock.now += 50_000;
    const alice = await tokenFor("alice");
    await sign(alice);
    expect((await sign(alice)).headers.get("retry-after")).toBe("10");
  });

  it("limits reads per address only when configured (600 a minute at least); RATE_LIMIT=off turns every limit off", async () => {
    useTestApp({ RATE_LIMIT_READ_PER_MINUTE: "600", TRUST_PROXY: "true" });
    const read = (ip: string) =>
      feed.GET(jsonRequest("/api/feed", "GET", undefined, undefined, { "x-forwarded-for": `10.0.0.1, ${ip}` }));
    for (let i = 0; i < 600; i += 1) expect((await read("1.1.1.1")).status).toBe(200);
    expect((await read("1.1.1.1")).status).toBe(429);
    expect((await read("2.2.2.2")).status).toBe(200);
    useTestApp({
      RATE_LIMIT: "off",
      RATE_LIMIT_READ_PER_MINUTE: "600",
      RATE_LIMIT_POST_PER_MINUTE: "1",
      TRUST_PROXY: "true",
    });
    const alice = await tokenFor("alice");
    for (let i = 0; i < 605; i += 1) expect((await read("1.1.1.1")).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await sign(alice)).status).toBe(200);
  });
});

describe("CORS", () => {
  const preflight = (origin: string) =>
    feed.OPTIONS(
      jsonRequest("/api/feed", "OPTIONS", undefined, undefined, {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      }),
    );

  it("answers a preflight from an allowed origin, never with credentials", async () => {
    useTestApp({ CORS_ORIGINS: "https://chat.example.com, https://admin.example.com/" });
    const response = await preflight("https://chat.example.com");
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://chat.example.com");
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, HEAD, POST, OPTIONS");
    expect(response.headers.get("access-control-allow-headers")).toContain("Authorization");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("vary")).toBe("Origin");
    const get = await feed.GET(
      jsonRequest("/api/feed", "GET", undefined, undefined, { origin: "https://admin.example.com" }),
    );
    expect(get.headers.get("access-control-allow-origin")).toBe("https://admin.example.com");
    expect(get.headers.get("access-control-expose-headers")).toContain("ETag");
  });

  it("marks answers as varying by Origin even when the request sent none, so a CDN cannot serve them cross-origin", async () => {
    useTestApp({ CORS_ORIGINS: "https://chat.example.com" });
    const response = await feed.GET(jsonRequest("/api/feed", "GET"));
    expect(response.headers.get("vary")).toBe("Origin");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("gives other origins no CORS headers, and none at all when no allowlist is set", async () => {
    useTestApp({ CORS_ORIGINS: "https://chat.example.com" });
    expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    useTestApp();
    expect((await preflight("https://chat.example.com")).headers.get("access-control-allow-origin")).toBeNull();
    useTestApp({ CORS_ORIGINS: "*" });
    expect((await preflight("https://anywhere.example")).headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("responses safe to cache and log", () => {
  it("serves the same GET body and headers whatever cookies or forwarded-host headers say", async () => {
    useTestApp();
    const plain = await feed.GET(jsonRequest("/api/feed", "GET"));
    const dressed = await feed.GET(
      jsonRequest("/api/feed", "GET", undefined, undefined, {
        cookie: "session=abc",
        "x-forwarded-host": "evil.example",
        host: "evil.example",
      }),
    );
    expect(await dressed.text()).toBe(await plain.text());
    for (const header of ["etag", "cache-control", "content-type", "x-content-type-options"]) {
      expect(dressed.headers.get(header)).toBe(plain.headers.get(header));
    }
    expect(dressed.headers.get("set-cookie")).toBeNull();
  });

  it("logs one structured line per request with method, path, status, duration and id, and never the token", async () => {
    useTestApp();
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const token = await tokenFor("alice");
    await sign(token);
    expect(log).toHaveBeenCalledTimes(1);
    const line = JSON.parse(String(log.mock.calls[0][0]));
    expect(line).toMatchObject({ method: "POST", path: "/api/feed/upload-signature", status: 200 });
    expect(typeof line.ms).toBe("number");
    expect(typeof line.requestId).toBe("string");
    expect(String(log.mock.calls[0][0])).not.toContain(token);
  });
});
