// Headers every response carries for caches and logs: CORS that a CDN cannot mix up, no-store, and safe request ids.
import { afterEach, describe, expect, it, vi } from "vitest";
import * as deleteRoute from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import { jsonRequest, publishAs, tokenFor, useTestApp } from "../support/test-app.js";

afterEach(() => vi.restoreAllMocks());

const read = (headers: Record<string, string> = {}) =>
  feed.GET(jsonRequest("/api/feed", "GET", undefined, undefined, headers));
const unauthenticatedPost = (headers: Record<string, string> = {}) =>
  feed.POST(jsonRequest("/api/feed", "POST", {}, undefined, headers));

describe("CORS_ORIGINS=*", () => {
  it("sends Access-Control-Allow-Origin: * with or without an Origin, and no Vary: the answer is the same", async () => {
    useTestApp({ CORS_ORIGINS: "*" });
    for (const response of [await read(), await read({ origin: "https://anywhere.example" })]) {
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
      expect(response.headers.get("vary")).toBeNull();
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
    expect((await unauthenticatedPost()).headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("CORS with an allowlist", () => {
  it("sends Vary: Origin on every response, allowed or not, errors and preflights included", async () => {
    useTestApp({ CORS_ORIGINS: "https://chat.example.com" });
    const responses = [
      await read(),
      await read({ origin: "https://chat.example.com" }),
      await read({ origin: "https://evil.example" }),
      await unauthenticatedPost({ origin: "https://chat.example.com" }),
      await feed.OPTIONS(jsonRequest("/api/feed", "OPTIONS", undefined, undefined, { origin: "https://evil.example" })),
    ];
    for (const response of responses) expect(response.headers.get("vary")).toBe("Origin");
    expect(responses.map((response) => response.headers.get("access-control-allow-origin"))).toEqual([
      null,
      "https://chat.example.com",
      null,
      "https://chat.example.com",
      null,
    ]);
  });
});

describe("Cache-Control", () => {
  it("marks every write's answer no-store: a signature, a publish and a delete", async () => {
    const ctx = useTestApp({ RATE_LIMIT: "off" });
    const alice = await tokenFor("alice");
    const signed = await uploadSignature.POST(
      jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, alice),
    );
    const published = await publishAs(ctx, "alice", "hi");
    const { id } = await published.clone().json();
    const deleted = await deleteRoute.DELETE(jsonRequest(`/api/feed/${id}`, "DELETE", undefined, alice));
    expect([signed.status, published.status, deleted.status]).toEqual([200, 201, 204]);
    for (const response of [signed, published, deleted]) expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("marks every error no-store, whatever the method", async () => {
    useTestApp({ RATE_LIMIT_READ_PER_MINUTE: "600" });
    const errors = [
      await unauthenticatedPost(), // 401
      await feed.GET(jsonRequest("/api/feed?limit=0", "GET")), // 400
      await feed.PUT(jsonRequest("/api/feed", "PUT")), // 405
      await deleteRoute.DELETE(jsonRequest("/api/feed/nope", "DELETE", undefined, await tokenFor("alice"))), // 404
    ];
    for (let i = 0; i < 600; i += 1) await read();
    errors.push(await read()); // 429
    expect(errors.map((response) => response.status)).toEqual([401, 400, 405, 404, 429]);
    for (const response of errors) expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("keeps the Cache-Control a successful GET chose", async () => {
    useTestApp();
    expect((await read()).headers.get("cache-control")).toBe("public, max-age=0, s-maxage=6, stale-while-revalidate=4");
  });
});

describe("X-Request-Id", () => {
  const idAndLog = async (headers: Record<string, string>) => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const id = (await read(headers)).headers.get("x-request-id");
    const logged = JSON.parse(String(log.mock.calls.at(-1)?.[0])).requestId;
    log.mockRestore();
    return { id, logged };
  };
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it("keeps a plain id from Vercel or the caller, in the header and the log", async () => {
    useTestApp({ LOG_LEVEL: "debug" });
    expect(await idAndLog({ "x-vercel-id": "fra1::iad1::abc12-1764158400000-0123456789ab" })).toEqual({
      id: "fra1::iad1::abc12-1764158400000-0123456789ab",
      logged: "fra1::iad1::abc12-1764158400000-0123456789ab",
    });
    expect(await idAndLog({ "x-request-id": "req_42.a-b" })).toEqual({ id: "req_42.a-b", logged: "req_42.a-b" });
  });

  it.each([
    ["markup", "<script>alert(1)</script>"],
    ["a forged log field", 'x","level":"error'],
    ["spaces", "a b"],
    ["129 characters", "a".repeat(129)],
  ])("mints a fresh id instead of echoing or logging one with %s, whichever header brought it", async (_, given) => {
    useTestApp({ LOG_LEVEL: "debug" });
    for (const header of ["x-vercel-id", "x-request-id"]) {
      const { id, logged } = await idAndLog({ [header]: given });
      expect(id).toMatch(UUID);
      expect(logged).toBe(id);
    }
  });
});

describe("request lines", () => {
  const linesOf = async (level: string | undefined, send: () => Promise<Response>) => {
    useTestApp(level ? { LOG_LEVEL: level } : {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const status = (await send()).status;
    const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)));
    log.mockRestore();
    return { status, lines };
  };

  it("logs a successful read only at LOG_LEVEL=debug (the platform's request log has it)", async () => {
    expect(await linesOf(undefined, () => read())).toEqual({ status: 200, lines: [] });
    const { lines } = await linesOf("debug", () => read());
    expect(lines).toEqual([
      expect.objectContaining({ level: "debug", event: "request", path: "/api/feed", status: 200 }),
    ]);
  });

  it("logs every write and every refused request at info", async () => {
    const refused = await linesOf(undefined, () => unauthenticatedPost());
    expect(refused.status).toBe(401);
    expect(refused.lines).toEqual([
      expect.objectContaining({ level: "info", event: "request", method: "POST", path: "/api/feed", status: 401 }),
    ]);
    const badRead = await linesOf(undefined, () => feed.GET(jsonRequest("/api/feed?limit=0", "GET")));
    expect(badRead.lines).toEqual([expect.objectContaining({ level: "info", method: "GET", status: 400 })]);
  });
});
