// The Lua the Redis adapters run. Each script touches only the keys it is given, and on a cluster only keys of one slot.
import { createHash } from "node:crypto";
import type { IndexEntry, PostWrite, RebuildFinish, RebuildLease, RebuildProgress } from "./feed-store.js";

export interface Script {
  source: string;
  sha1: string;
}

function script(source: string): Script {
  return { source, sha1: createHash("sha1").update(source).digest("hex") };
}

/**
 * KEYS: post, tombstone[, index]; ARGV: value, ttl, deadline (ms, Redis's clock, or "" for none)[, id, score,
 * trimBelow, indexTtl]. Refuses to run past the deadline, so a publish that waited in a socket buffer cannot apply
 * after its caller was told it failed. A post already stored answers "exists" even under a tombstone (a cleanup
 * marks media before it checks which posts are live), so a retry of a publish that went through is never refused.
 * With the index key (a single Redis), the entry is added in the same atomic step
 * as the post; a replay changes nothing. Redis's own clock decides, and the caller learns it when refused.
 */
const PUBLISH_POST = script(`
if ARGV[3] ~= '' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  if now > tonumber(ARGV[3]) then return {'late', tostring(now)} end
end
local old = redis.call('GET', KEYS[1])
if old then return {'exists', old} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'removed'} end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
if KEYS[3] then
  redis.call('ZADD', KEYS[3], 'NX', ARGV[5], ARGV[4])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '(0', '(' .. ARGV[6])
  redis.call('EXPIRE', KEYS[3], ARGV[7])
end
return {'created'}
`);

// Adds ARGV[from..] as score/member pairs to `key` in bounded chunks (Lua's unpack fails above ~8,000 values).
const ADD_PAIRS = `
local function addPairs(key, from)
  for i = from, #ARGV, 1000 do
    redis.call('ZADD', key, 'NX', unpack(ARGV, i, math.min(i + 999, #ARGV)))
  end
end
`;

// Only the lease holder may write: a rebuild that was cut off and resumes late finds the lease gone and writes nothing.
// A walk begun by this caller (ARGV fresh = "1") starts its side index with the marker; a resumed one must still find
// it there, or the side index was lost (evicted, deleted) with everything the walk had found: the cursor and lease are
// dropped, so the next reader walks again from the start instead of finishing an index that misses posts.
const CHECK_LEASE_AND_SIDE = `
local function leaseAndSideHeld(lock, cursor, side, token, fresh, marker)
  if redis.call('GET', lock) ~= token then return false end
  if fresh == '1' then
    redis.call('ZADD', side, 0, marker)
  elseif not redis.call('ZSCORE', side, marker) then
    redis.call('DEL', lock, cursor)
    return false
  end
  return true
end
`;

/** KEYS: lock, cursor, side index; ARGV: token, leaseMs, cursor, stateTtl, release ("1"/"0"), fresh, marker, pairs. */
const SAVE_REBUILD = script(`${ADD_PAIRS}${CHECK_LEASE_AND_SIDE}
if not leaseAndSideHeld(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[6], ARGV[7]) then return 0 end
addPairs(KEYS[3], 8)
redis.call('EXPIRE', KEYS[3], ARGV[4])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
if ARGV[5] == '1' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`);

/**
 * KEYS: lock, cursor, side index, index; ARGV: token, indexTtl, marker, fresh, score, id, ...
 * The swap: entries written while the walk ran are kept (a union), and readers see the old index or the whole new one.
 */
const FINISH_REBUILD = script(`${ADD_PAIRS}${CHECK_LEASE_AND_SIDE}
if not leaseAndSideHeld(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[4], ARGV[3]) then return 0 end
addPairs(KEYS[3], 5)
redis.call('ZUNIONSTORE', KEYS[4], 2, KEYS[4], KEYS[3], 'AGGREGATE', 'MIN')
redis.call('EXPIRE', KEYS[4], ARGV[2])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 1
`);

/** One script run: what every adapter sends, whatever its client's calling convention. */
export interface ScriptCall {
  script: Script;
  keys: string[];
  args: string[];
}

/** With the index (one Redis), post and entry are written in one atomic step; without, only the post and tombstone. */
export function publishCall(write: PostWrite, deadline: string, withIndex: boolean): ScriptCall {
  const post = { keys: [write.key, write.removedKey], args: [write.value, String(write.ttlSeconds), deadline] };
  if (!withIndex) return { script: PUBLISH_POST, ...post };
  const index = [write.id, String(write.score), String(write.trimBelow), String(write.indexTtlSeconds)];
  return { script: PUBLISH_POST, keys: [...post.keys, write.indexKey], args: [...post.args, ...index] };
}

export function saveRebuildCall(lease: RebuildLease, progress: RebuildProgress): ScriptCall {
  const { cursor, entries, release, fresh } = progress;
  const args = [lease.token, String(lease.leaseMs), cursor, String(lease.stateTtlSeconds), flag(release)];
  return {
    script: SAVE_REBUILD,
    keys: [lease.lockKey, lease.cursorKey, lease.buildKey],
    args: [...args, flag(fresh), lease.marker, ...pairArgs(entries)],
  };
}

export function finishRebuildCall(lease: RebuildLease, { entries, fresh, indexTtlSeconds }: RebuildFinish): ScriptCall {
  return {
    script: FINISH_REBUILD,
    keys: [lease.lockKey, lease.cursorKey, lease.buildKey, lease.indexKey],
    args: [lease.token, String(indexTtlSeconds), lease.marker, flag(fresh), ...pairArgs(entries)],
  };
}

const flag = (value: boolean): string => (value ? "1" : "0");

/** Score/member pairs as script arguments. */
function pairArgs(entries: readonly IndexEntry[]): string[] {
  return entries.flatMap(({ id, score }) => [String(score), id]);
}
