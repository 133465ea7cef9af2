// "Never automatic": posting, deleting and expiring posts never reach Cloudinary, and nothing schedules a cleanup.

import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { v2 as cloudinary } from "cloudinary";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deletePostRoute } from "../../api/feed/[id].js";
import { POST as createPostRoute, GET as readFeed } from "../../api/feed/index.js";
import { POST as signUploadRoute } from "../../api/feed/upload-signature.js";
import { createApp, useApp } from "../../lib/app.js";
import { issueDevToken } from "../../lib/auth.js";
import { postKey } from "../../lib/feed/keys.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { withLocalDefaults } from "../../scripts/local-defaults.js";
import { NOW, testConfig } from "../support/media-cleanup-fixtures.js";

// No handlers at all: any request leaving the process is an error, and every one is counted.
const server = setupServer();
const outgoing: string[] = [];
beforeAll(() => {
  server.listen({ onUnhandledRequest: "error" });
  server.events.on("request:start", ({ request }) => outgoing.push(`${request.method} ${request.url}`));
});
afterAll(() => server.close());

describe("the feed never deletes media on its own", () => {
  it("makes no Cloudinary call when posts are created, deleted by their author, or expire", async () => {
    const config = withLocalDefaults(testConfig()); // as npm run dev runs it
    if (config.auth.kind !== "dev") throw new Error("expected the dev sign-in configuration");
    let now = NOW;
    const store = new MemoryStore(() => now);
    useApp(createApp(config, { store, now: () => now }));
    const token = await issueDevToken(config.auth.secret, { userId: "user-1", username: "Ada" });
    const send = (method: string, path: string, body?: unknown) =>
      new Request(`http://localhost${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    async function publish(mediaType: "image" | "video"): Promise<string> {
      const signed = await signUploadRoute(send("POST", "/api/feed/upload-signature", { mediaType }));
      expect(signed.status).toBe(200);
      const { fields } = await signed.json();
      // What Cloudinary would answer to the browser's upload, signed with the account's secret.
      const version = Math.floor(now / 1000);
      const signature = cloudinary.utils.api_sign_request(
        { public_id: fields.public_id, version },
        config.media.apiSecret,
      );
      const format = mediaType === "video" ? "mp4" : "jpg";
      const upload = { public_id: fields.public_id, version, signature, resource_type: mediaType, format };
      const created = await createPostRoute(send("POST", "/api/feed", { text: "hello", upload }));
      expect(created.status).toBe(201);
      return (await created.json()).id;
    }

    const removed = await publish("image");
    const expiring = await publish("video");
    const deleted = await deletePostRoute(send("DELETE", `/api/feed/${removed}`));
    expect(deleted.status).toBe(204);

    now += config.feedTtlSeconds * 1000 + 1000;
    const page = await readFeed(send("GET", "/api/feed"));
    expect((await page.json()).items).toEqual([]);
    expect(await store.getValues([postKey(removed), postKey(expiring)])).toEqual([null, null]);

    expect(outgoing).toEqual([]);
  });

  it("would have seen a delete by fetch or by the SDK (so the silence above is real)", async () => {
    outgoing.length = 0;
    const config = testConfig();
    cloudinary.config({ cloud_name: "demo", api_key: "key-123", api_secret: config.media.apiSecret });
    const url = `${config.media.apiBase}/v1_1/demo/resources/image/upload`;
    await fetch(url, { method: "DELETE" }).catch(() => undefined);
    await cloudinary.api.delete_resources(["feed/u0123456789abcdef/post00000001"]).catch(() => undefined);
    expect(outgoing).toHaveLength(2);
    expect(outgoing.every((line) => line.startsWith(`DELETE ${url}`))).toBe(true);
    outgoing.length = 0;
  });

  it("schedules nothing: vercel.json has no cron", async () => {
    const vercel = JSON.parse(await readFile("vercel.json", "utf8"));
    expect(vercel).not.toHaveProperty("crons");
  });

  it("reaches the cleanup code only from the admin endpoints and the batch command", async () => {
    const cleanupModules =
      /from "[./]+(lib\/)?(admin\/|cloudinary\/)?(admin-api|admin-api-backoff|media-cleanup|media-sweep)\.js"/;
    const allowed = new Set([
      "lib/admin/media-cleanup.ts",
      // Only for the type of a cleanup result.
      "lib/admin/cleanup-request.ts",
      "lib/admin/media-sweep.ts",
      "lib/cloudinary/admin-api-backoff.ts",
      // The admin endpoint's body (POST /api/admin/media-cleanup), moved verbatim from api/admin/media-cleanup.ts.
      "lib/http/routes.ts",
      "scripts/media-cleanup.ts",
      "scripts/media-cleanup-report.ts",
      "scripts/media-cleanup-failure.ts",
      // The moderation takedown (an admin endpoint) deletes a post's media only when asked to.
      "lib/admin/takedown.ts",
      // The composition root builds the Admin API client once; only the admin endpoints read it.
      "lib/app.ts",
    ]);
    const importers: string[] = [];
    for (const root of ["api", "lib", "scripts"]) {
      for (const file of await readdir(root, { recursive: true })) {
        if (!file.endsWith(".ts")) continue;
        const path = join(root, file);
        const source = await readFile(path, "utf8");
        if (cleanupModules.test(source)) importers.push(path);
        // Nothing else deletes on Cloudinary through the SDK either.
        expect(source, path).not.toMatch(/\b(destroy|delete_resources\w*|delete_all_resources)\s*\(/);
      }
    }
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((path) => !allowed.has(path))).toEqual([]);
  });
});
