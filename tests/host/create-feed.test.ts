// createFeed as a host app uses it: its handlers by route, one handler for the mount, the host's own user lookup,
// the real-time hooks (bounded), and the use cases without HTTP. In-process store, literal environment.
import { describe, expect, it, vi } from "vitest";
import { createFeed, type FeedOptions, HOOK_TIMEOUT_MS } from "../../lib/host/index.js";
import type { Post } from "../../lib/schemas.js";
import { cloudinaryUploadFor, jsonRequest, TEST_ENV, tokenFor } from "../support/test-app.js";

const ADMIN_TOKEN = "admin-token-that-is-at-least-32-characters";
const env = { ...TEST_ENV, ADMIN_TOKEN };
const USERS: Record<string, { userId: string; username: string }> = {
  "session-ada": { userId: "ada", username: "Ada\u200B Lovelace" },
};
const bySession = (request: Request) => USERS[request.headers.get("x-session") ?? ""] ?? null;

/** Sign, upload (Cloudinary's answer, simulated) and publish through `fetch` under /api/feed. */
async function publishThrough(fetch: (request: Request) => Promise<Response>, headers: Record<string, string>) {
  const signed = await fetch(
    jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, undefined, headers),
  );
  expect(signed.status).toBe(200);
  const upload = cloudinaryUploadFor(await signed.json(), Math.floor(Date.now() / 1000));
  return fetch(jsonRequest("/api/feed", "POST", { text: "hi", upload }, undefined, headers));
}

describe("createFeed", () => {
  it("serves every route under its mount with the same handlers as api/, and a JSON 404 beside them", async () => {
    const feed = createFeed({ env });
    const auth = { authorization: `Bearer ${await tokenFor("ada", "Ada")}` };
    const created = await publishThrough(feed.fetch, auth);
    expect(created.status).toBe(201);
    const post: Post = await created.json();
    const page = await feed.fetch(new Request("http://localhost/api/feed?limit=5"));
    expect((await page.json()).items.map((item: Post) => item.id)).toEqual([post.id]);
    const people = await feed.handlers.people.GET(new Request("http://localhost/api/feed/people"));
    expect((await people.json()).items[0]).toMatchObject({ userId: "ada", postCount: 1 });
    const missing = await feed.fetch(new Request("http://localhost/api/feed/a/b"));
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBe("no-store");
    expect((await feed.fetch(new Request("http://localhost/elsewhere"))).status).toBe(404);
    const takedown = await feed.fetch(
      jsonRequest(`/api/feed/admin/posts/${post.id}`, "DELETE", undefined, ADMIN_TOKEN),
    );
    expect(takedown.status).toBe(204);
    const gone = await feed.fetch(jsonRequest(`/api/feed/${post.id}`, "DELETE", undefined, undefined, auth));
    expect(gone.status).toBe(404);
  });

  it("mounts under another base path when told", async () => {
    const feed = createFeed({ env, basePath: "/chat/feed/" });
    expect((await feed.fetch(new Request("http://localhost/chat/feed"))).status).toBe(200);
    expect((await feed.fetch(new Request("http://localhost/chat/feed/people"))).status).toBe(200);
    expect((await feed.fetch(new Request("http://localhost/api/feed"))).status).toBe(404);
  });

  it("builds nothing until the first request, and answers a bad configuration with 500 not_configured", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const feed = createFeed({ env: { NODE_ENV: "production" } });
    const response = await feed.fetch(new Request("http://localhost/api/feed"));
    expect(response.status).toBe(500);
    expect((await response.json()).error.code).toBe("not_configured");
    expect(errors.mock.calls.join("\n")).toContain("Redis is not configured");
    errors.mockRestore();
  });

  it("knows the user from the host's own lookup, held to a token's rules, instead of a JWT", async () => {
    const feed = createFeed({ env: { CLOUDINARY_URL: TEST_ENV.CLOUDINARY_URL }, identify: bySession });
    const created = await publishThrough(feed.fetch, { "x-session": "session-ada" });
    expect(created.status).toBe(201);
    // The name is cleaned as a token's claim would be (the zero-width space goes).
    expect(await created.json()).toMatchObject({ userId: "ada", username: "Ada Lovelace" });
    const anonymous = await feed.fetch(jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }));
    expect(anonymous.status).toBe(401);
    const badId = createFeed({ env, identify: () => ({ userId: "bad\u0000id" }) });
    const refused = await badId.fetch(jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }));
    expect(refused.status).toBe(401);
  });
});

describe("real-time hooks", () => {
  const hooked = (hooks: Partial<FeedOptions>) => createFeed({ env, identify: bySession, ...hooks });
  const session = { "x-session": "session-ada" };

  it("tells onPublished once per new post, after it is stored, and onRemoved why a post left", async () => {
    const published: Post[] = [];
    const removed: [string, string][] = [];
    let storedWhenTold = false;
    const feed: ReturnType<typeof createFeed> = hooked({
      onPublished: async (post) => {
        published.push(post);
        const page = await feed.operations.readPage();
        storedWhenTold = page.page.items.some((item) => item.id === post.id);
      },
      onRemoved: (id, reason) => {
        removed.push([id, reason]);
      },
    });
    const signed = await feed.operations.signUpload({ userId: "ada" }, "image");
    const upload = cloudinaryUploadFor(signed, Math.floor(Date.now() / 1000));
    const first = await feed.fetch(jsonRequest("/api/feed", "POST", { text: "hi", upload }, undefined, session));
    const retry = await feed.fetch(jsonRequest("/api/feed", "POST", { text: "hi", upload }, undefined, session));
    expect([first.status, retry.status]).toEqual([201, 200]);
    expect(published.map((post) => post.id)).toEqual([(await first.json()).id]);
    expect(storedWhenTold).toBe(true);
    const second = await publishThrough(feed.fetch, session);
    const [a, b] = [published[0].id, (await second.json()).id];
    expect((await feed.fetch(jsonRequest(`/api/feed/${a}`, "DELETE", undefined, undefined, session))).status).toBe(204);
    expect((await feed.fetch(jsonRequest(`/api/feed/admin/posts/${b}`, "DELETE", undefined, ADMIN_TOKEN))).status).toBe(
      204,
    );
    // A second takedown of the same post changes nothing, and is not told again.
    await feed.fetch(jsonRequest(`/api/feed/admin/posts/${b}`, "DELETE", undefined, ADMIN_TOKEN));
    expect(removed).toEqual([
      [a, "deleted"],
      [b, "takedown"],
    ]);
  });

  it("answers the write even when a hook throws, and logs it with the post's id", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const feed = hooked({
      onPublished: () => {
        throw new Error("socket gone");
      },
    });
    const response = await publishThrough(feed.fetch, session);
    expect(response.status).toBe(201);
    const { id } = await response.json();
    expect(errors.mock.calls.join("\n")).toMatch(new RegExp(`feed_hook_failed.*${id}.*socket gone`));
    errors.mockRestore();
  });

  it("holds a request no longer than the hook's bound when a hook never answers", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const feed = hooked({ onPublished: () => new Promise(() => {}), hookTimeoutMs: 200 });
    const signed = await feed.operations.signUpload({ userId: "ada" }, "image");
    const upload = cloudinaryUploadFor(signed, Math.floor(Date.now() / 1000));
    const started = performance.now();
    const response = await feed.fetch(jsonRequest("/api/feed", "POST", { text: "hi", upload }, undefined, session));
    const elapsed = performance.now() - started;
    expect(response.status).toBe(201);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(200 + 500);
    expect(errors.mock.calls.join("\n")).toContain("no answer within 200 ms");
    expect(HOOK_TIMEOUT_MS).toBe(1000);
    errors.mockRestore();
  });
});

describe("operations without HTTP", () => {
  it("publish, read and remove with the routes' checks, telling the hooks", async () => {
    const told: string[] = [];
    const feed = createFeed({
      env,
      onPublished: (post) => told.push(`+${post.id}`),
      onRemoved: (id) => told.push(`-${id}`),
    });
    const upload = cloudinaryUploadFor(
      await feed.operations.signUpload({ userId: "bo", username: "Bo" }, "image"),
      Math.floor(Date.now() / 1000),
    );
    await expect(feed.operations.publish({ userId: "someone-else" }, { text: "x", upload })).rejects.toMatchObject({
      status: 403,
    });
    const { post, created } = await feed.operations.publish({ userId: "bo", username: "Bo" }, { text: "x", upload });
    expect(created).toBe(true);
    expect((await feed.operations.readPage({ author: "bo", limit: 5 })).page.items).toHaveLength(1);
    expect((await feed.operations.readPeople()).page.items[0].userId).toBe("bo");
    await expect(feed.operations.readPage({ limit: 500 })).rejects.toMatchObject({ status: 400 });
    await feed.operations.remove({ userId: "bo" }, post.id);
    expect(told).toEqual([`+${post.id}`, `-${post.id}`]);
  });
});
