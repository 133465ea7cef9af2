// The cleanup's lib code against msw's Cloudinary: the Admin API client, paging, batching and live posts.

import { delay, HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { deleteGrouped } from "../../lib/admin/media-cleanup.js";
import { findLeftovers } from "../../lib/admin/media-sweep.js";
import type { StoredType } from "../../lib/cloudinary/admin-api.js";
import { createCloudinaryAdmin, requestedWaitMs } from "../../lib/cloudinary/admin-api.js";
import type { Config } from "../../lib/env.js";
import { ServiceUnavailableError } from "../../lib/errors.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { createFakeCloudinary, type FakeCloudinary } from "../support/fake-cloudinary-admin.js";
import { API_SECRET, feedId, HOUR, isoAgo, NOW, storeLivePost, testConfig } from "../support/media-cleanup-fixtures.js";
import { useMswServer } from "../support/msw-server.js";

const server = useMswServer();

let config: Config;
let cloudinary: FakeCloudinary;
let store: MemoryStore;
beforeEach(() => {
  config = testConfig();
  cloudinary = createFakeCloudinary(config.media, { pageSize: 3 });
  server.use(...cloudinary.handlers);
  store = new MemoryStore(() => NOW);
});

const admin = () => createCloudinaryAdmin(config.media, { now: () => NOW });
const sweepDeps = () => ({ admin: admin(), store, folder: "feed", now: () => NOW });
const old = (n: number, type: StoredType = "image") => ({
  publicId: feedId(n),
  type,
  createdAt: isoAgo(3 * HOUR),
});

describe("Admin API client", () => {
  it("sends Basic auth from the configuration and the ids as public_ids[] form fields", async () => {
    cloudinary.add(old(1), old(2));
    const outcomes = await admin().deleteMedia("image", [feedId(1), feedId(2), feedId(3)]);
    expect(outcomes).toEqual({ [feedId(1)]: "deleted", [feedId(2)]: "deleted", [feedId(3)]: "not_found" });
    expect(cloudinary.deletes()).toEqual([
      {
        method: "DELETE",
        type: "image",
        ids: [feedId(1), feedId(2), feedId(3)],
        prefix: null,
        cursor: null,
        invalidate: true,
      },
    ]);
  });

  it("refuses more than 100 ids in one call", async () => {
    const ids = Array.from({ length: 101 }, (_, i) => feedId(i));
    await expect(admin().deleteMedia("image", ids)).rejects.toThrow(RangeError);
    expect(cloudinary.calls).toHaveLength(0);
  });

  it("turns a hanging Admin API into a quick ServiceUnavailableError", async () => {
    server.use(http.get(/resources\/image\/upload/, () => delay("infinite")));
    const slow = createCloudinaryAdmin(config.media, { timeoutMs: 50 });
    const started = Date.now();
    await expect(slow.listMedia("image", "feed/")).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("keeps Cloudinary's error text and the secret out of the error", async () => {
    cloudinary.script({ status: 401, body: { error: { message: "Invalid api_key key-123 for cloud demo" } } });
    const error = await admin()
      .listMedia("image", "feed/")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    const text = `${(error as Error).message} ${((error as Error).cause as Error).message}`;
    expect(text).toContain("401");
    expect(text).not.toContain("Invalid api_key");
    expect(text).not.toContain(API_SECRET);
  });

  it("treats an answer of the wrong shape as unavailable", async () => {
    server.use(http.get(/resources\/image\/upload/, () => HttpResponse.json({ nope: true })));
    await expect(admin().listMedia("image", "feed/")).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it("reads the wait from Retry-After seconds, a Retry-After date, or X-FeatureRateLimit-Reset", () => {
    const at = (ms: number) => new Date(NOW + ms).toUTCString();
    expect(requestedWaitMs(new Headers({ "Retry-After": "7" }), NOW)).toBe(7000);
    expect(requestedWaitMs(new Headers({ "Retry-After": at(30_000) }), NOW)).toBe(30_000);
    expect(requestedWaitMs(new Headers({ "X-FeatureRateLimit-Reset": at(90_000) }), NOW)).toBe(90_000);
    expect(requestedWaitMs(new Headers({ "X-FeatureRateLimit-Reset": at(-5000) }), NOW)).toBe(0);
    expect(requestedWaitMs(new Headers(), NOW)).toBeUndefined();
  });
});

describe("finding leftovers", () => {
  it("pages through every type with next_cursor and keeps only feed media older than the threshold", async () => {
    const images = [1, 2, 3, 4, 5, 6, 7].map((n) => old(n));
    const videos = [8, 9, 10, 11].map((n) => old(n, "video"));
    // A signed upload sent to /raw/upload (the signature does not cover the type): never postable, still swept.
    const raw = [old(12, "raw")];
    cloudinary.add(...images, ...videos, ...raw);
    cloudinary.add(
      { publicId: feedId(20), type: "image", createdAt: isoAgo(HOUR) },
      { publicId: "feed/banner", type: "image", createdAt: isoAgo(50 * HOUR) },
      { publicId: "feed-archive/u0123456789abcdef/post00000030", type: "image", createdAt: isoAgo(50 * HOUR) },
    );
    const found = await findLeftovers(2 * HOUR, sweepDeps());
    expect(found.candidates.map((m) => m.publicId).sort()).toEqual(
      [...images, ...videos, ...raw].map((m) => m.publicId).sort(),
    );
    expect(found.candidates.find((m) => m.publicId === raw[0].publicId)?.resourceType).toBe("raw");
    expect(found.scanned).toBe(14);
    const listings = cloudinary.calls.filter((call) => call.method === "GET");
    expect(listings.map((call) => [call.type, call.cursor])).toEqual([
      ["image", null],
      ["image", "3"],
      ["image", "6"],
      ["video", null],
      ["video", "3"],
      ["raw", null],
    ]);
    expect(listings.every((call) => call.prefix === "feed/")).toBe(true);
  });

  it("leaves out media a live post still shows", async () => {
    cloudinary.add(old(1), old(2, "video"), old(3));
    await storeLivePost(store, feedId(2));
    const found = await findLeftovers(2 * HOUR, sweepDeps());
    expect(found.candidates.map((m) => m.publicId)).toEqual([feedId(1), feedId(3)]);
    expect(found.live.map((m) => m.publicId)).toEqual([feedId(2)]);
  });

  it("refuses a threshold under an hour, when an upload may still become a post", async () => {
    await expect(findLeftovers(HOUR - 1, sweepDeps())).rejects.toThrow(RangeError);
    expect(cloudinary.calls).toHaveLength(0);
  });
});

describe("deleting in batches", () => {
  it("deletes more than 100 leftovers in calls of at most 100 ids, grouped by type", async () => {
    const images = Array.from({ length: 250 }, (_, i) => old(i));
    const videos = Array.from({ length: 30 }, (_, i) => old(1000 + i, "video"));
    cloudinary.add(...images, ...videos);
    const refs = [...images, ...videos].map((m) => ({ publicId: m.publicId, resourceType: m.type }));
    const reports: string[] = [];
    const outcomes = await deleteGrouped(refs, admin(), (r) => reports.push(`${r.type} ${r.batch}/${r.batches}`));
    expect([...outcomes.values()].every((outcome) => outcome === "deleted")).toBe(true);
    expect(outcomes.size).toBe(280);
    expect(cloudinary.deletes().map((call) => [call.type, call.ids.length])).toEqual([
      ["image", 100],
      ["image", 100],
      ["image", 50],
      ["video", 30],
    ]);
    expect(reports).toEqual(["image 1/4", "image 2/4", "image 3/4", "video 4/4"]);
  });

  it("reports an id Cloudinary did not confirm as failed", async () => {
    cloudinary.add(old(1), old(2));
    cloudinary.failing.add(feedId(2));
    const outcomes = await deleteGrouped(
      [feedId(1), feedId(2)].map((publicId) => ({ publicId, resourceType: "image" as const })),
      admin(),
    );
    expect(Object.fromEntries(outcomes)).toEqual({ [feedId(1)]: "deleted", [feedId(2)]: "failed" });
  });
});
