// Scripts never stop the host app on Upstash: every script sent there declares allow-key-locking on its first line and
// touches only the keys it passes in KEYS (the REST stand-in enforces Upstash's rule); the read-only one also declares
// no-writes and runs as EVAL_RO, which replicas may answer. TCP Redis gets them unflagged.
import { Redis as UpstashRedis } from "@upstash/redis";
import { beforeEach, describe, expect, it } from "vitest";
import * as feedItem from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import { INDEX_KEY } from "../../lib/feed/keys.js";
import type { Post } from "../../lib/schemas.js";
import { finishRebuildCall, publishCall, removeCall, withKeyLocking } from "../../lib/store/scripts.js";
import { storeFor, useRedisAdapters } from "../support/redis-adapters.js";
import { makePost, rebuildLease, removalFor, writeFor } from "../support/store-fixtures.js";
import { jsonRequest, publish, tokenFor, useTestApp } from "../support/test-app.js";

const KEY_LOCKING = "#!lua flags=allow-key-locking";
const READ_ONLY_KEY_LOCKING = "#!lua flags=no-writes,allow-key-locking";
const redis = useRedisAdapters(2000);

beforeEach(async () => {
  await redis.server().client.flushdb();
  await redis.server().client.script("FLUSH"); // every script is sent whole (EVAL) once, so its first line is seen
  redis.bridge().scripts.length = 0;
});

/** Publishing, deleting and a rebuild of a lost index: every script the feed has. */
async function useEveryScript(env: Record<string, string>): Promise<void> {
  const ctx = useTestApp({ RATE_LIMIT: "off" }, { store: storeFor(env, 2000) });
  ctx.clock.now = Date.now();
  const post: Post = await publish(ctx, "ann");
  await publish(ctx, "bob");
  const token = await tokenFor("ann", "name-ann");
  expect((await feedItem.DELETE(jsonRequest(`/api/feed/${post.id}`, "DELETE", undefined, token))).status).toBe(204);
  await redis.server().client.del(INDEX_KEY);
  const page = await feed.GET(jsonRequest("/api/feed", "GET"));
  expect((await page.json()).items).toHaveLength(1);
}

describe("scripts and Upstash's key locking", () => {
  it("sends every script to Upstash with allow-key-locking on its first line, each touching only its KEYS", async () => {
    await useEveryScript({
      UPSTASH_REDIS_REST_URL: redis.bridge().url,
      UPSTASH_REDIS_REST_TOKEN: redis.bridge().token,
    });
    // publish, remove, save/finish of the rebuild, the index read: all sent, all flagged (and none failed the
    // stand-in's key check); the index read, the one script that only reads, as EVAL_RO with no-writes
    const sent = redis.bridge().scripts;
    expect(sent.filter((script) => script.firstLine === KEY_LOCKING).length).toBeGreaterThanOrEqual(3);
    for (const { command, firstLine } of sent) {
      expect([command, firstLine]).toEqual(
        firstLine === READ_ONLY_KEY_LOCKING ? ["eval_ro", READ_ONLY_KEY_LOCKING] : ["eval", KEY_LOCKING],
      );
    }
    expect(sent.map((script) => script.firstLine)).toContain(READ_ONLY_KEY_LOCKING);
    // Once loaded, the index read goes as EVALSHA_RO, never as a plain EVALSHA that a replica could not answer.
    const commands = redis.bridge().requests.flatMap((request) => request.commands);
    expect(commands).toContain("evalsha_ro");
  });

  it("sends the same scripts to TCP Redis without the flag, which Redis 7 would refuse", async () => {
    await useEveryScript({ REDIS_URL: redis.server().url });
    const post = makePost(Date.now());
    const lease = rebuildLease("any", 1000);
    const finish = { entries: [], fresh: true, nowMs: 0 };
    const scripts = [
      publishCall(writeFor(post), "", true).script,
      removeCall(removalFor(post)).script,
      finishRebuildCall(lease, finish, true).script,
    ];
    // Redis holds the plain scripts (it ran them), and never saw a flagged one.
    expect(await redis.server().client.script("EXISTS", ...scripts.map((script) => script.sha1))).toEqual([1, 1, 1]);
    const flagged = scripts.map((script) => withKeyLocking(script).sha1);
    expect(await redis.server().client.script("EXISTS", ...flagged)).toEqual([0, 0, 0]);
    await expect(redis.server().client.eval(`${KEY_LOCKING}\nreturn 1`, 0)).rejects.toThrow(/Unexpected flag/);
  });

  it("stands in for Upstash faithfully: a key-locking script that touches an undeclared key fails", async () => {
    const client = new UpstashRedis({
      url: redis.bridge().url,
      token: redis.bridge().token,
      enableAutoPipelining: false,
    });
    const script = `${KEY_LOCKING}\nredis.call('SET', KEYS[1], '1')\nreturn redis.call('GET', 'not-declared')`;
    await expect(client.eval(script, ["declared"], [])).rejects.toThrow(/undeclared key not-declared/);
    await expect(client.eval(`${KEY_LOCKING}\nreturn redis.call('GET', KEYS[1])`, ["declared"], [])).resolves.toBe(1);
  });
});
