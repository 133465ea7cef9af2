// Redis over HTTPS with @upstash/redis (Upstash, Vercel KV): one REST call per operation, bounded by a timeout.
import { Redis } from "@upstash/redis";
import type * as store from "./feed-store.js";
import { publishOnTime, RedisClock, readIndexReplyOf, summaries } from "./replies.js";
import {
  publishCall,
  readIndexCall,
  removeCall,
  runFinishRebuild,
  runScript,
  type ScriptCall,
  type ScriptRunner,
  saveRebuildCall,
  withKeyLocking,
} from "./scripts.js";

/**
 * Values stay raw strings (automaticDeserialization off) so what lands in Redis is exactly the post's JSON; the SDK's
 * default of five retries with backoff is cut to one quick retry, and each request is aborted after `timeoutMs`.
 * `readYourWrites` false lets a global database's nearest read replica answer reads (public pages); a `syncToken`
 * makes them wait until the replica has seen the write that token came from (a writer's own pages).
 * https://upstash.com/docs/redis/howto/readyourwrites
 */
export function createUpstashClient(
  url: string,
  token: string,
  timeoutMs: number,
  reads: { readYourWrites?: boolean; syncToken?: string } = {},
): Redis {
  const client = new Redis({
    url,
    token,
    automaticDeserialization: false,
    enableAutoPipelining: false,
    readYourWrites: reads.readYourWrites ?? true,
    retry: { retries: 1, backoff: () => 50 },
    signal: () => AbortSignal.timeout(timeoutMs),
  });
  if (reads.syncToken) client.readYourWritesSyncToken = reads.syncToken;
  return client;
}

/** Upstash has no hash slots to respect: every write is one atomic step, as on a single Redis. */
export class UpstashStore implements store.FeedStore {
  private readonly clock: RedisClock;
  private readonly scripts: ScriptRunner;
  private readonly readOnlyScripts: ScriptRunner;

  constructor(
    private readonly redis: Redis,
    timeoutMs: number,
  ) {
    this.clock = new RedisClock(timeoutMs);
    this.scripts = { evalsha: redis.evalsha.bind(redis), eval: redis.eval.bind(redis) };
    this.readOnlyScripts = { evalsha: redis.evalshaRo.bind(redis), eval: redis.evalRo.bind(redis) };
  }

  publishPost(write: store.PostWrite): Promise<store.PublishOutcome> {
    return publishOnTime(this.clock, (deadline) => this.run(publishCall(write, deadline, true)));
  }

  async readIndex(query: store.IndexQuery): Promise<store.IndexRead> {
    // The same read-only script as TCP Redis's (one command, not a pipeline of three or four), run as EVALSHA_RO with
    // no-writes and key locking: a global database's nearest replica may answer it, and it takes only read locks.
    return readIndexReplyOf(await this.run(readIndexCall(query)), query.versionKey !== undefined);
  }

  async summarizeIndexes(indexKeys: string[], minScore: number): Promise<store.IndexSummary[]> {
    if (indexKeys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const key of indexKeys) {
      pipeline.zcount(key, minScore, "+inf");
      pipeline.zrange(key, minScore, "+inf", { byScore: true, offset: 0, count: 1, withScores: true });
    }
    return summaries(await pipeline.exec());
  }

  async getValues(keys: string[]): Promise<unknown[]> {
    if (keys.length === 0) return [];
    return this.redis.mget<unknown[]>(...keys);
  }

  async getBoundedValues(keys: string[], maxBytes: number): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    // GETRANGE reads at most maxBytes + 1 bytes of each value; a key of another type answers WRONGTYPE on its own.
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.getrange(key, 0, maxBytes);
    const results = await pipeline.exec<string[]>({ keepErrors: true });
    return results.map(({ result, error }) => {
      if (error && !error.startsWith("WRONGTYPE")) throw new Error(error);
      const head = error ? "" : String(result ?? "");
      return head.length > 0 && Buffer.byteLength(head) <= maxBytes ? head : null;
    });
  }

  async removePost(removal: store.PostRemoval): Promise<void> {
    await this.run(removeCall(removal));
  }

  async writeTombstones(tombstones: store.Tombstone[], ttlSeconds: number): Promise<void> {
    if (tombstones.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { key, value } of tombstones) pipeline.set(key, value, { ex: ttlSeconds });
    await pipeline.exec();
  }

  async countHit(key: string, windowSeconds: number): Promise<number> {
    const [, count] = await this.redis.multi().set(key, "0", { ex: windowSeconds, nx: true }).incr(key).exec();
    return Number(count);
  }

  async claimRebuild(lease: store.RebuildLease): Promise<{ claimed: boolean; cursor: string | null }> {
    const [set, cursor] = await this.redis
      .multi()
      .set(lease.lockKey, lease.token, { px: lease.leaseMs, nx: true })
      .get<string>(lease.cursorKey)
      .exec();
    return { claimed: set === "OK", cursor: cursor ?? null };
  }

  async scanPosts(cursor: string | null, match: string, count: number): Promise<store.ScanStep> {
    const from = cursor !== null && /^\d+$/.test(cursor) ? cursor : "0";
    const [next, keys] = await this.redis.scan(from, { match, count });
    return { keys, cursor: String(next) === "0" ? null : String(next) };
  }

  async saveRebuild(lease: store.RebuildLease, progress: store.RebuildProgress): Promise<boolean> {
    return Number(await this.run(saveRebuildCall(lease, progress))) === 1;
  }

  async finishRebuild(lease: store.RebuildLease, finish: store.RebuildFinish): Promise<boolean> {
    return runFinishRebuild((call) => this.run(call), lease, finish);
  }

  /**
   * EVALSHA, loading the script with EVAL when this database has not seen it (their _RO forms for a read-only script);
   * every script locks only its keys.
   */
  private run(call: ScriptCall): Promise<unknown> {
    const runner = call.script.readOnly ? this.readOnlyScripts : this.scripts;
    return runScript(runner, { script: withKeyLocking(call.script), keys: call.keys, args: call.args });
  }
}
