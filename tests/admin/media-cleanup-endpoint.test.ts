// POST /api/admin/media-cleanup doing its work against msw's Cloudinary: dry run, live posts, types, failures, audit.
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import { tombstoneKey, tombstoneValue } from "../../lib/feed/keys.js";
import { setupAdminHarness } from "../support/admin-cleanup-harness.js";
import {
  ADMIN_TOKEN,
  API_SECRET,
  feedId,
  HOUR,
  isoAgo,
  NOW,
  postIdOf,
  storeLivePost,
} from "../support/media-cleanup-fixtures.js";

const h = setupAdminHarness();
const image = (n: number) => ({ publicId: feedId(n), type: "image" as const, createdAt: isoAgo(3 * HOUR) });
const video = (n: number) => ({ publicId: feedId(n), type: "video" as const, createdAt: isoAgo(3 * HOUR) });

describe("cleanup", () => {
  it("reports what a dry run would do and deletes nothing", async () => {
    h.cloudinary.add(image(1), video(2), image(4));
    await storeLivePost(h.store, feedId(4));
    const response = await h.cleanup({ publicIds: [feedId(1), feedId(2), feedId(3), feedId(4)], dryRun: true });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toMatchObject({ dryRun: true, force: false });
    expect(body.results).toEqual([
      { publicId: feedId(1), status: "would_delete", resourceType: "image" },
      { publicId: feedId(2), status: "would_delete", resourceType: "video" },
      { publicId: feedId(3), status: "not_found" },
      { publicId: feedId(4), status: "skipped_live" },
    ]);
    expect(body.counts).toMatchObject({ would_delete: 2, not_found: 1, skipped_live: 1, deleted: 0 });
    expect(h.cloudinary.deletes()).toHaveLength(0);
    expect(h.cloudinary.has("image", feedId(1)) && h.cloudinary.has("video", feedId(2))).toBe(true);
  });

  it("only previews when the body does not say dryRun: false", async () => {
    h.cloudinary.add(image(1));
    const body = await (await h.cleanup({ publicIds: [feedId(1)] })).json();
    expect(body).toMatchObject({ dryRun: true, counts: { would_delete: 1, deleted: 0 } });
    expect(h.cloudinary.deletes()).toHaveLength(0);
    expect(h.cloudinary.has("image", feedId(1))).toBe(true);
  });

  it("keeps the media of a live post unless force is set", async () => {
    h.cloudinary.add(image(1));
    await storeLivePost(h.store, feedId(1));
    const kept = await (await h.cleanup({ dryRun: false, publicIds: [feedId(1)] })).json();
    expect(kept.results).toEqual([{ publicId: feedId(1), status: "skipped_live" }]);
    expect(h.cloudinary.deletes()).toHaveLength(0);
    expect(h.cloudinary.has("image", feedId(1))).toBe(true);

    const forced = await (await h.cleanup({ dryRun: false, publicIds: [feedId(1)], force: true })).json();
    expect(forced.results).toEqual([{ publicId: feedId(1), status: "deleted", resourceType: "image" }]);
    expect(h.cloudinary.has("image", feedId(1))).toBe(false);
  });

  it("deletes videos as videos and images as images, one call per type", async () => {
    h.cloudinary.add(image(1), video(2), image(3), video(4));
    const body = await (
      await h.cleanup({ dryRun: false, publicIds: [feedId(1), feedId(2), feedId(3), feedId(4), feedId(5)] })
    ).json();
    expect(body.counts).toMatchObject({ deleted: 4, not_found: 1 });
    const deletes = h.cloudinary.deletes().map(({ type, ids }) => ({ type, ids }));
    expect(deletes).toEqual([
      { type: "image", ids: [feedId(1), feedId(3)] },
      { type: "video", ids: [feedId(2), feedId(4)] },
    ]);
    expect(body.results.find((r: { publicId: string }) => r.publicId === feedId(5)).status).toBe("not_found");
  });

  it("makes deleted media unpublishable, so no post can show it afterwards; a dry run marks nothing", async () => {
    h.cloudinary.add(image(1), image(2));
    await h.cleanup({ dryRun: false, publicIds: [feedId(1)] });
    await h.cleanup({ publicIds: [feedId(2)], dryRun: true });
    const marks = await h.store.getValues([feedId(1), feedId(2)].map((id) => tombstoneKey(postIdOf(id))));
    expect(marks).toEqual([tombstoneValue({ publicId: feedId(1) }), null]);
    await storeLivePost(h.store, feedId(1)); // createPost's write: refused for the cleaned-up upload
    await storeLivePost(h.store, feedId(2));
    const posts = await h.store.getValues([feedId(1), feedId(2)].map((id) => `feed:${postIdOf(id)}`));
    expect(posts.map((value) => value !== null)).toEqual([false, true]);
  });

  it("finds and deletes a signed upload that was sent as raw (the signature does not cover the type)", async () => {
    h.cloudinary.add({ publicId: feedId(1), type: "raw", createdAt: isoAgo(3 * HOUR) });
    const body = await (await h.cleanup({ dryRun: false, publicIds: [feedId(1)] })).json();
    expect(body.results).toEqual([{ publicId: feedId(1), status: "deleted", resourceType: "raw" }]);
    expect(h.cloudinary.deletes().map(({ type, ids }) => ({ type, ids }))).toEqual([{ type: "raw", ids: [feedId(1)] }]);
  });

  it("treats a repeated id once", async () => {
    h.cloudinary.add(image(1));
    const body = await (await h.cleanup({ dryRun: false, publicIds: [feedId(1), feedId(1)] })).json();
    expect(body.results).toEqual([{ publicId: feedId(1), status: "deleted", resourceType: "image" }]);
  });

  it("logs who, what and when without the token", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    h.cloudinary.add(image(1));
    const request = { publicIds: [feedId(1)], dryRun: true };
    await h.cleanup(request);
    const lines = log.mock.calls.map(([line]) => String(line));
    log.mockRestore();
    const audit = JSON.parse(lines.find((line) => line.includes('"media_cleanup"')) ?? "{}");
    expect(audit).toMatchObject({ event: "media_cleanup", at: new Date(NOW).toISOString(), dryRun: true });
    expect(audit.caller.tokenId).toMatch(/^[0-9a-f]{8}$/);
    expect(audit.outcomes).toEqual([`${feedId(1)}:would_delete`]);
    expect(lines.join("\n")).not.toContain(ADMIN_TOKEN);
  });
});

describe("Cloudinary failures", () => {
  it("answers 503 with Retry-After and none of Cloudinary's text or the secret when the Admin API errs", async () => {
    h.cloudinary.script({ status: 500, body: { error: { message: "internal detail db-7 shard" } } });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await h.cleanup({ dryRun: false, publicIds: [feedId(1)] });
    const logged = errors.mock.calls.flat().join("\n");
    errors.mockRestore();
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBeTruthy();
    const text = await response.text();
    expect(JSON.parse(text).error.code).toBe("service_unavailable");
    for (const secret of ["internal detail", API_SECRET]) {
      expect(text).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
  });

  it("reports what was deleted, and the rest as failed, when one type's delete fails", async () => {
    h.cloudinary.add(image(1), video(2));
    h.server.use(http.delete(/\/resources\/video\/upload$/, () => HttpResponse.json({}, { status: 502 })));
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await h.cleanup({ dryRun: false, publicIds: [feedId(1), feedId(2)] });
    errors.mockRestore();
    expect(response.status).toBe(200);
    expect((await response.json()).results).toEqual([
      { publicId: feedId(1), status: "deleted", resourceType: "image" },
      { publicId: feedId(2), status: "failed", resourceType: "video" },
    ]);
    expect(h.cloudinary.has("video", feedId(2))).toBe(true);
  });

  it("answers 503 when Cloudinary rate-limits the call", async () => {
    h.cloudinary.add(image(1));
    h.cloudinary.script({
      status: 420,
      method: "DELETE",
      headers: { "X-FeatureRateLimit-Reset": new Date(NOW + HOUR).toUTCString() },
    });
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await h.cleanup({ dryRun: false, publicIds: [feedId(1)] });
    vi.restoreAllMocks();
    expect(response.status).toBe(503);
    expect(h.cloudinary.has("image", feedId(1))).toBe(true);
  });
});
