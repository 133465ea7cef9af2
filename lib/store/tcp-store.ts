// Redis over TCP with ioredis: one node (Redis Cloud, self-hosted), a clustered Redis behind a proxy, or Redis Cluster.
import keySlot from "cluster-key-slot";
import { Cluster, type Redis } from "ioredis";
import { log } from "../log.js";
import { scanClusterStep } from "./cluster-scan.js";
import type * as store from "./feed-store.js";
import { publishOnTime, RedisClock, readIndexReplyOf, summaries } from "./replies.js";
import {
  indexCall,
  publishCall,
  readIndexCall,
  removeCall,
  runFinishRebuild,
  runScript,
  type ScriptCall,
  type ScriptRunner,
  saveRebuildCall,
  unindexCall,
} from "./scripts.js";

type Results = [Error | null, unknown][] | null;

function values(results: Results): unknown[] {
  if (!results) throw new Error("transaction aborted");
  for (const [error] of results) if (error) throw error;
  return results.map(([, value]) => value);
}

/** A key of another type (foreign data under `feed:*`) reads as missing; any other error stands. */
function nullIfWrongType(error: unknown): null {
  if (error instanceof Error && error.message.startsWith("WRONGTYPE")) return null;
  throw error;
}

/** A clustered Redis behind a proxy (Redis Cloud, Redis Enterprise) refuses a transaction or script over two slots. */
function isCrossSlot(error: unknown): boolean {
  const previous = (error as { previousErrors?: Error[] }).previousErrors ?? [];
  return [error, ...previous].some((e) => e instanceof Error && e.message.includes("CROSSSLOT"));
}

export class TcpStore implements store.FeedStore {
  private readonly cluster: boolean;
  /** Writes over two slots go in two ordered steps: always on a cluster, and once a proxy has refused one step. */
  private splitWrites: boolean;
  private readonly clock: RedisClock;
  private readonly scripts: ScriptRunner;

  constructor(
    private readonly redis: Redis | Cluster,
    timeoutMs: number,
    clock = new RedisClock(timeoutMs),
  ) {
    this.cluster = redis instanceof Cluster;
    this.splitWrites = this.cluster;
    this.clock = clock;
    this.scripts = {
      evalsha: (sha1, keys, args) => redis.evalsha(sha1, keys.length, ...keys, ...args),
      eval: (source, keys, args) => redis.eval(source, keys.length, ...keys, ...args),
    };
  }

  async publishPost(write: store.PostWrite): Promise<store.PublishOutcome> {
    const startedAt = Date.now();
    if (!this.splitWrites) {
      const atomic = await this.unlessCrossSlot(() =>
        publishOnTime(this.clock, (deadline) => this.run(publishCall(write, deadline, true))),
      );
      if (atomic) return atomic;
    }
    // The index entries first, in their own slot: if the post write then fails, they are ghosts, never a gap.
    await this.run(indexCall(write));
    const node = this.nodeOf(write.key);
    const outcome = await publishOnTime(this.clock, (deadline) => this.run(publishCall(write, deadline, false)), {
      startedAt,
      node,
    });
    // A removed upload gets no index entries: the ones just added would be ghosts that every read has to skip.
    if (outcome.status === "removed") await this.run(unindexCall({ ...write, nowMs: write.score }));
    return outcome;
  }

  async readIndex(query: store.IndexQuery): Promise<store.IndexRead> {
    // One script on the `{feed}` slot: a page's index read is one command, as the least work's ZRANGE is.
    return readIndexReplyOf(await this.run(readIndexCall(query)), query.versionKey !== undefined);
  }

  async summarizeIndexes(indexKeys: string[], minScore: number): Promise<store.IndexSummary[]> {
    if (indexKeys.length === 0) return [];
    // Every person's index shares the `{feed}` slot: one pipeline to one node.
    const pipeline = this.redis.pipeline();
    for (const key of indexKeys) {
      pipeline.zcount(key, minScore, "+inf");
      pipeline.zrange(key, minScore, "+inf", "BYSCORE", "LIMIT", 0, 1, "WITHSCORES");
    }
    return summaries(values(await pipeline.exec()));
  }

  async getValues(keys: string[]): Promise<unknown[]> {
    if (keys.length === 0) return [];
    // On a cluster, auto-pipelining sends these as one pipeline per master, all at once. MGET reads a key of another
    // type as nil; a GET answers WRONGTYPE, which is the same thing here.
    if (this.cluster) return Promise.all(keys.map((key) => this.redis.get(key).catch(nullIfWrongType)));
    return this.redis.mget(keys);
  }

  async getBoundedValues(keys: string[], maxBytes: number): Promise<(string | null)[]> {
    // GETRANGE reads at most maxBytes + 1 bytes of each value, so a longer one is recognised without reading it all.
    // The commands go out together (one pipeline per master on a cluster): one round trip.
    return Promise.all(
      keys.map(async (key) => {
        const head = await this.redis.getrangeBuffer(key, 0, maxBytes).catch(nullIfWrongType);
        return head && head.length > 0 && head.length <= maxBytes ? head.toString("utf8") : null;
      }),
    );
  }

  async removePost(removal: store.PostRemoval): Promise<void> {
    const { key, tombstoneKey, tombstone, tombstoneTtlSeconds } = removal;
    if (!this.splitWrites && (await this.unlessCrossSlot(() => this.run(removeCall(removal))))) return;
    // The tombstone and the post share a slot; the index entries go after the post (at worst a ghost is left).
    values(await this.redis.multi().set(tombstoneKey, tombstone, "EX", tombstoneTtlSeconds).del(key).exec());
    await this.run(unindexCall(removal));
  }

  async writeTombstones(tombstones: store.Tombstone[], ttlSeconds: number): Promise<void> {
    await Promise.all(tombstones.map(({ key, value }) => this.redis.set(key, value, "EX", ttlSeconds)));
  }

  async countHit(key: string, windowSeconds: number): Promise<number> {
    const [, count] = values(await this.redis.multi().set(key, "0", "EX", windowSeconds, "NX").incr(key).exec());
    return Number(count);
  }

  async claimRebuild(lease: store.RebuildLease): Promise<{ claimed: boolean; cursor: string | null }> {
    const [set, cursor] = values(
      await this.redis.multi().set(lease.lockKey, lease.token, "PX", lease.leaseMs, "NX").get(lease.cursorKey).exec(),
    );
    return { claimed: set === "OK", cursor: (cursor as string | null) ?? null };
  }

  async scanPosts(cursor: string | null, match: string, count: number): Promise<store.ScanStep> {
    if (this.redis instanceof Cluster) return scanClusterStep(this.redis, cursor, match, count);
    // A cursor saved in another shape (by a cluster deployment) starts the walk again.
    const from = cursor !== null && /^\d+$/.test(cursor) ? cursor : "0";
    const [next, keys] = await this.redis.scan(from, "MATCH", match, "COUNT", count);
    return { keys, cursor: next === "0" ? null : next };
  }

  async saveRebuild(lease: store.RebuildLease, progress: store.RebuildProgress): Promise<boolean> {
    return (await this.run(saveRebuildCall(lease, progress))) === 1;
  }

  async finishRebuild(lease: store.RebuildLease, finish: store.RebuildFinish): Promise<boolean> {
    return runFinishRebuild((call) => this.run(call), lease, finish);
  }

  /**
   * Which Redis runs a script on `key`, for its clock's offset: one node unless writes are split. On a cluster, the
   * slot's master; behind a clustering proxy, which shard serves a slot is not known, so the slot stands for it.
   */
  private nodeOf(key: string): string {
    if (!this.splitWrites) return "";
    const slot = keySlot(key);
    return (this.redis instanceof Cluster && this.redis.slots[slot]?.[0]) || `slot ${slot}`;
  }

  /** EVALSHA, loading the script with EVAL when this server has not seen it (a new or restarted Redis). */
  private run(call: ScriptCall): Promise<unknown> {
    return runScript(this.scripts, call);
  }

  /**
   * Runs a write over two slots in one step; undefined when the server refused it as cross-slot (nothing ran then),
   * after which this store writes in two ordered steps for good.
   */
  private async unlessCrossSlot<T>(write: () => Promise<T>): Promise<T | undefined> {
    try {
      return await write();
    } catch (error) {
      if (!isCrossSlot(error)) throw error;
      this.splitWrites = true;
      log.warn("redis_split_writes", { detail: "clustered Redis: writing in two steps" });
      return undefined;
    }
  }
}
