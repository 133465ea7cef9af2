// Rate-limit backoff for the batch command: waits as Cloudinary's 420/429 headers say, retries, or gives up clearly.
import { beforeEach, describe, expect, it } from "vitest";
import { CloudinaryRateLimitError, createCloudinaryAdmin } from "../../lib/cloudinary/admin-api.js";
import { withBackoff } from "../../lib/cloudinary/admin-api-backoff.js";
import type { Config } from "../../lib/env.js";
import { createFakeCloudinary, type FakeCloudinary } from "../support/fake-cloudinary-admin.js";
import { feedId, HOUR, isoAgo, NOW, testConfig } from "../support/media-cleanup-fixtures.js";
import { useMswServer } from "../support/msw-server.js";

const server = useMswServer();

let config: Config;
let cloudinary: FakeCloudinary;
beforeEach(() => {
  config = testConfig();
  cloudinary = createFakeCloudinary(config.media);
  server.use(...cloudinary.handlers);
});

const admin = () => createCloudinaryAdmin(config.media, { now: () => NOW });
const old = (n: number) => ({ publicId: feedId(n), type: "image" as const, createdAt: isoAgo(3 * HOUR) });

describe("rate-limit backoff", () => {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  beforeEach(() => {
    waits.length = 0;
  });

  it("waits until X-FeatureRateLimit-Reset after a 420, then retries and succeeds", async () => {
    cloudinary.add(old(1));
    const reset = new Date(NOW + 30_000).toUTCString();
    cloudinary.script({ status: 420, method: "DELETE", headers: { "X-FeatureRateLimit-Reset": reset } });
    const outcomes = await withBackoff(admin(), { sleep }).deleteMedia("image", [feedId(1)]);
    expect(outcomes).toEqual({ [feedId(1)]: "deleted" });
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(30_000);
    expect(waits[0]).toBeLessThanOrEqual(32_000);
    expect(cloudinary.deletes()).toHaveLength(2);
  });

  it("honours Retry-After on a 429 and backs off exponentially without headers", async () => {
    cloudinary.script({ status: 429, headers: { "Retry-After": "3" } });
    cloudinary.script({ status: 429 });
    cloudinary.script({ status: 429 });
    await withBackoff(admin(), { sleep }).listMedia("image", "feed/");
    expect(waits[0]).toBeGreaterThanOrEqual(3000);
    expect(waits[2]).toBe(2 * waits[1]);
  });

  it("gives up with the rate-limit error when the reset is further away than it will wait", async () => {
    cloudinary.script({ status: 420, headers: { "X-FeatureRateLimit-Reset": new Date(NOW + HOUR).toUTCString() } });
    const error = await withBackoff(admin(), { sleep })
      .listMedia("image", "feed/")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudinaryRateLimitError);
    expect((error as CloudinaryRateLimitError).retryAfterMs).toBe(HOUR);
    expect(waits).toHaveLength(0);
  });

  it("gives up once its retries are used", async () => {
    for (let i = 0; i < 3; i += 1) cloudinary.script({ status: 429, headers: { "Retry-After": "1" } });
    const error = await withBackoff(admin(), { sleep, maxRetries: 2 })
      .listMedia("image", "feed/")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudinaryRateLimitError);
    expect(waits).toHaveLength(2);
    expect(cloudinary.calls).toHaveLength(3);
  });

  it("does not retry failures other than rate limits", async () => {
    cloudinary.script({ status: 500 });
    await expect(withBackoff(admin(), { sleep }).listMedia("image", "feed/")).rejects.not.toBeInstanceOf(
      CloudinaryRateLimitError,
    );
    expect(waits).toHaveLength(0);
    expect(cloudinary.calls).toHaveLength(1);
  });
});
