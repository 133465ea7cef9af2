// Reads from the nearest replica on Upstash global databases, through the REST stand-in: public pages are read without
// read-your-writes (a replica may answer), a writer's answer hands back the write's sync token, and their next reads
// that send it wait for it and are answered privately. Other stores need none of this.
import { beforeEach, describe, expect, it } from "vitest";
import * as feed from "../../api/feed/index.js";
import * as people from "../../api/feed/people.js";
import { createApp, useApp } from "../../lib/app.js";
import { loadConfig } from "../../lib/env.js";
import { useRedisAdapters } from "../support/redis-adapters.js";
import { jsonRequest, signedUpload, TEST_ENV, tokenFor } from "../support/test-app.js";

const redis = useRedisAdapters(2000);
const READ_ONLY_COMMANDS = new Set(["evalsha_ro", "eval_ro", "get", "mget", "zcount", "zrange"]);

/** The app as a deployment composes it from its variables (its stores included), on the real clock. */
function appFromEnvironment(env: Record<string, string>) {
  const clock = { now: Date.now() };
  useApp(createApp(loadConfig({ ...TEST_ENV, RATE_LIMIT: "off", ...env }), { now: () => clock.now }));
  return { clock };
}

describe("reads from Upstash read replicas", () => {
  let ctx: { clock: { now: number } };

  beforeEach(async () => {
    await redis.server().client.flushdb();
    ctx = appFromEnvironment({
      UPSTASH_REDIS_REST_URL: redis.bridge().url,
      UPSTASH_REDIS_REST_TOKEN: redis.bridge().token,
    });
    redis.bridge().requests.length = 0;
  });

  const publish = async () => {
    const token = await tokenFor("ann", "name-ann");
    const upload = await signedUpload(ctx, token);
    return feed.POST(jsonRequest("/api/feed", "POST", { text: "hi", upload }, token));
  };
  const readsSince = (from: number) =>
    redis
      .bridge()
      .requests.slice(from)
      .filter((r) => r.commands.some((command) => command === "evalsha_ro" || command === "eval_ro"));

  it("reads public pages without read-your-writes, so the nearest replica may answer them", async () => {
    expect((await publish()).status).toBe(201);
    // The first read after the flush finds no index marker and rebuilds (which writes, on the primary); later ones read.
    expect((await feed.GET(jsonRequest("/api/feed", "GET"))).status).toBe(200);
    const from = redis.bridge().requests.length;
    for (const route of [feed, people]) {
      const path = route === feed ? "/api/feed" : "/api/feed/people";
      expect((await route.GET(jsonRequest(path, "GET"))).status).toBe(200);
    }
    const reads = readsSince(from);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const read of reads) expect(read.syncToken).toBeNull();
    // Only read-only commands, the index read script as EVAL(SHA)_RO: nothing a replica would have to refuse.
    const sent = new Set(
      redis
        .bridge()
        .requests.slice(from)
        .flatMap((request) => request.commands),
    );
    expect([...sent].filter((command) => !READ_ONLY_COMMANDS.has(command))).toEqual([]);
  });

  it("hands a writer the sync token of their write, and their reads that send it back wait for it, privately", async () => {
    const posted = await publish();
    expect(posted.status).toBe(201);
    const token = posted.headers.get("feed-sync-token") as string;
    expect(token).toMatch(/^sync-\d+$/);
    const from = redis.bridge().requests.length;
    const own = await feed.GET(jsonRequest(`/api/feed?sync=${token}`, "GET"));
    expect(own.status).toBe(200);
    expect((await own.json()).items).toHaveLength(1);
    expect(own.headers.get("cache-control")).toBe("private, no-store");
    expect(own.headers.get("cdn-cache-control")).toBeNull();
    // The first read sends the writer's token; any later one in the same request, the newer one Upstash answered with.
    const sent = readsSince(from).map((read) => read.syncToken);
    expect(sent[0]).toBe(token);
    for (const later of sent) expect(later).toMatch(/^sync-\d+$/);
    const tray = await people.GET(jsonRequest(`/api/feed/people?sync=${token}`, "GET"));
    expect(tray.headers.get("cache-control")).toBe("private, no-store");
  });

  it("refuses a sync parameter that is not a token (400), so it buys no free uncached variant", async () => {
    expect((await feed.GET(jsonRequest("/api/feed?sync=a%20b", "GET"))).status).toBe(400);
    expect((await feed.GET(jsonRequest("/api/feed?sync=", "GET"))).status).toBe(400);
  });

  it("hands no token where the store has none (TCP Redis: every read already sees every write)", async () => {
    ctx = appFromEnvironment({ REDIS_URL: redis.server().url });
    const posted = await publish();
    expect(posted.status).toBe(201);
    expect(posted.headers.get("feed-sync-token")).toBeNull();
  });
});
