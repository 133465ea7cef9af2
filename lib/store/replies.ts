// Small translations shared by the Redis adapters: range bounds, ZRANGE replies, and the publish script's answer.
import { ServiceUnavailableError } from "../errors.js";
import type { IndexEntry, PublishOutcome } from "./feed-store.js";

/** Redis writes `(` before a score to make a range bound exclusive. */
export const exclusive = (score: number): `(${number}` => `(${score}`;

/** ZRANGE ... WITHSCORES answers [member, score, member, score, ...]. */
export function pairEntries(flat: readonly unknown[]): IndexEntry[] {
  const entries: IndexEntry[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ id: String(flat[i]), score: Number(flat[i + 1]) });
  return entries;
}

/**
 * Where Redis's clock stands against ours, learnt from its answers. A publish must run within half the timeout of
 * being sent (by Redis's clock), leaving the other half for the answer to come back before the caller gives up.
 */
export class RedisClock {
  private offsetMs = 0;

  constructor(private readonly timeoutMs: number) {}

  /** `startedAt`: when the caller's operation began, which is what its time limit counts from. */
  deadline(startedAt: number): string {
    return String(startedAt + this.offsetMs + Math.floor(this.timeoutMs / 2));
  }

  learn(redisNowMs: number): void {
    this.offsetMs = redisNowMs - Date.now();
  }
}

/**
 * Runs the publish script, with a deadline counted from `startedAt` (a write in two steps passes its first step's
 * start, so the second can never land after the caller's limit). A "late" answer that reached us in time means Redis's clock runs ahead of ours, not that
 * the write was late: learn the offset and try once more. A second "late" is a Redis too slow to answer in time.
 */
export async function publishOnTime(
  clock: RedisClock,
  run: (deadline: string) => Promise<unknown>,
  startedAt = Date.now(),
): Promise<PublishOutcome> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const [status, detail] = (await run(clock.deadline(startedAt))) as [string, unknown?];
    if (status === "created" || status === "removed") return { status };
    if (status === "exists") return { status, value: detail };
    if (status !== "late") throw new Error(`unexpected publish answer: ${String(status)}`);
    clock.learn(Number(detail));
  }
  throw new ServiceUnavailableError("redis", { cause: new Error("Redis ran the publish past its deadline") });
}
