// Small translations shared by the Redis adapters: range bounds, the read script's and ZRANGE's replies, and the
// publish script's answer.
import { ServiceUnavailableError } from "../errors.js";
import { log } from "../log.js";
import type { IndexEntry, IndexRead, IndexSummary, PublishOutcome } from "./feed-store.js";

/** Redis writes `(` before a score to make a range bound exclusive. */
export const exclusive = (score: number): `(${number}` => `(${score}`;

/**
 * The read script's answer (lib/store/scripts.ts): [version, ids, their scores joined by spaces, marker, ties]; the
 * version is nil there when it was not asked for.
 */
export function readIndexReplyOf(reply: unknown, withVersion: boolean): IndexRead {
  const [version, ids, scores, marker, ties] = reply as [unknown, unknown[], unknown, unknown, unknown[]];
  const scoreTexts = String(scores).split(" ");
  const entries: IndexEntry[] = [];
  for (let i = 0; i < ids.length; i += 1) entries.push({ id: String(ids[i]), score: Number(scoreTexts[i]) });
  return {
    entries,
    markerPresent: marker !== null,
    ties: ties.map(String),
    version: withVersion ? (version === null ? null : String(version)) : undefined,
  };
}

/** ZCOUNT and ZRANGE ... LIMIT 0 1 WITHSCORES answers, in pairs, as each index's summary. */
export function summaries(flat: readonly unknown[]): IndexSummary[] {
  const result: IndexSummary[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const oldest = flat[i + 1] as unknown[];
    result.push({ count: Number(flat[i]), oldestScore: oldest.length >= 2 ? Number(oldest[1]) : null });
  }
  return result;
}

/**
 * Where each Redis node's clock stands against ours, learnt from its answers. A publish must run within half the
 * timeout of being sent (by the clock of the node that runs it), leaving the other half for the answer to come back
 * before the caller gives up. Offsets are kept per node: on a cluster (or behind a clustering proxy) every master has
 * its own clock, and an offset learnt from one that runs ahead would widen every other master's deadline.
 */
export class RedisClock {
  private readonly offsetsMs = new Map<string, number>();
  /**
   * False once the server refused a script that reads TIME before writing (a Redis-compatible service that
   * replicates scripts verbatim): publishes then carry no deadline, and a late one can still apply.
   */
  private timed = true;

  constructor(private readonly timeoutMs: number) {}

  /**
   * `startedAt`: when the caller's operation began, which is what its time limit counts from; `node` names the node
   * that will run the script ("" for a single node). "" means no deadline.
   */
  deadline(startedAt: number, node = ""): string {
    if (!this.timed) return "";
    return String(startedAt + (this.offsetsMs.get(node) ?? 0) + Math.floor(this.timeoutMs / 2));
  }

  /** True (once) when `error` is the server refusing TIME before writes: stop sending deadlines, and say so. */
  giveUpOnDeadlines(error: unknown): boolean {
    if (!this.timed || !(error instanceof Error && /non.?deterministic/i.test(error.message))) return false;
    this.timed = false;
    const detail = "this Redis refuses TIME before writes in scripts: publishes carry no deadline from now on";
    log.warn("redis_deadlines_off", { detail });
    return true;
  }

  learn(redisNowMs: number, node = ""): void {
    this.offsetsMs.set(node, redisNowMs - Date.now());
  }
}

/**
 * Runs the publish script, with a deadline counted from `startedAt` (a write in two steps passes its first step's
 * start, so the second can never land after the caller's limit). A "late" answer that reached us in time means
 * Redis's clock runs ahead of ours, not that the write was late: learn the offset and try once more. A second "late"
 * is a Redis too slow to answer in time.
 */
export async function publishOnTime(
  clock: RedisClock,
  run: (deadline: string) => Promise<unknown>,
  { startedAt = Date.now(), node = "" }: { startedAt?: number; node?: string } = {},
): Promise<PublishOutcome> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const [status, detail] = (await runOrUntimed(clock, run, startedAt, node)) as [string, unknown?];
    if (status === "created" || status === "removed") return { status };
    if (status === "exists") return { status, value: detail };
    if (status !== "late") throw new Error(`unexpected publish answer: ${String(status)}`);
    clock.learn(Number(detail), node);
  }
  throw new ServiceUnavailableError("redis", { cause: new Error("Redis ran the publish past its deadline") });
}

/** The script with a deadline; without one, once, if the server refuses scripts that read the clock and then write. */
async function runOrUntimed(
  clock: RedisClock,
  run: (deadline: string) => Promise<unknown>,
  startedAt: number,
  node: string,
) {
  try {
    return await run(clock.deadline(startedAt, node));
  } catch (error) {
    if (!clock.giveUpOnDeadlines(error)) throw error;
    return run(clock.deadline(startedAt, node));
  }
}
