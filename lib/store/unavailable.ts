// Shared by the Redis adapters: any client failure (refused, timed out, OOM, READONLY, LOADING) becomes a 503.
import { ServiceUnavailableError } from "../errors.js";

export async function orUnavailable<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new ServiceUnavailableError("redis", { cause: error });
  }
}

/** Redis writes `(` before a score to make a range bound exclusive. */
export const exclusive = (score: number): `(${number}` => `(${score}`;

/** ZRANGE ... WITHSCORES answers [member, score, member, score, ...]. */
export function pairEntries(flat: readonly unknown[]): { id: string; score: number }[] {
  const entries: { id: string; score: number }[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ id: String(flat[i]), score: Number(flat[i + 1]) });
  return entries;
}
