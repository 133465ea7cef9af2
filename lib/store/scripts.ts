// The Lua the Redis adapters run. Each script touches only the keys it is given, and on a cluster only keys of one slot.
import { createHash } from "node:crypto";
import type {
  IndexQuery,
  PostListing,
  PostRemoval,
  PostWrite,
  RebuildEntry,
  RebuildFinish,
  RebuildLease,
  RebuildProgress,
} from "./feed-store.js";
import { exclusive } from "./replies.js";

export interface Script {
  source: string;
  sha1: string;
  /** Calls no write command: where the adapter can say so (Upstash), it runs as EVAL_RO, which replicas may answer. */
  readOnly: boolean;
}

function script(source: string, readOnly = false): Script {
  return { source, sha1: createHash("sha1").update(source).digest("hex"), readOnly };
}

const readOnlyScript = (source: string): Script => script(source, true);

// Upstash runs a script under a database-wide lock (no other client's command, the host app's chat included, runs
// meanwhile) unless its first line declares this flag; then it locks only the keys passed in KEYS, which every script
// here declares. A read-only script also declares no-writes (Upstash: "Combine the two flags with a comma"), and then
// takes shared read locks. Redis 7.0 refuses allow-key-locking ("Unexpected flag in script shebang"), and Redis before
// 7.0 any first line of flags, so only the Upstash adapter sends them.
// https://upstash.com/docs/redis/commands/scripting/eval, https://upstash.com/docs/redis/commands/scripting/eval-ro,
// https://upstash.com/docs/redis/features/key-locking
const KEY_LOCKING_SHEBANG = "#!lua flags=allow-key-locking\n";
const READ_ONLY_KEY_LOCKING_SHEBANG = "#!lua flags=no-writes,allow-key-locking\n";
const keyLocking = new Map<Script, Script>();

/** The script as Upstash gets it: with the key-locking flag (and no-writes, if it only reads) on its first line. */
export function withKeyLocking(plain: Script): Script {
  let flagged = keyLocking.get(plain);
  if (!flagged) {
    const shebang = plain.readOnly ? READ_ONLY_KEY_LOCKING_SHEBANG : KEY_LOCKING_SHEBANG;
    flagged = script(`${shebang}${plain.source.replace(/^\n/, "")}`, plain.readOnly);
    keyLocking.set(plain, flagged);
  }
  return flagged;
}

// The indexes of the `{feed}` slot: the feed's, each person's, and people's (one member per person,
// `<author>:<newest id>`, scored by that post's time). A person's entry always names the top of their index.
const INDEX_HELPERS = `
local function addToPerson(authorKey, people, author, score, id)
  local before = redis.call('ZREVRANGE', authorKey, 0, 0)[1]
  redis.call('ZADD', authorKey, 'NX', score, id)
  local top = redis.call('ZREVRANGE', authorKey, 0, 0, 'WITHSCORES')
  if before and before ~= top[1] then redis.call('ZREM', people, author .. ':' .. before) end
  redis.call('ZADD', people, top[2], author .. ':' .. top[1])
end
local function indexPost(index, authorKey, people, id, score, trimBelow, ttl, author)
  redis.call('ZADD', index, 'NX', score, id)
  addToPerson(authorKey, people, author, score, id)
  for _, key in ipairs({index, authorKey, people}) do
    redis.call('ZREMRANGEBYSCORE', key, '(0', '(' .. trimBelow)
    redis.call('EXPIRE', key, ttl)
  end
end
-- The feed's version: bumped after every change a page could show, so an unchanged version means an unchanged page
-- (lib/feed/page-tag.ts). It starts from the caller's clock, so a version lost with its key is never issued again.
local function bumpVersion(key, floor, ttl)
  local v = redis.call('INCR', key)
  if v < tonumber(floor) then
    redis.call('SET', key, floor)
  end
  redis.call('EXPIRE', key, ttl)
end
local function unindexPost(index, authorKey, people, id, author)
  redis.call('ZREM', index, id)
  redis.call('ZREM', authorKey, id)
  if redis.call('ZREM', people, author .. ':' .. id) == 1 then
    local top = redis.call('ZREVRANGE', authorKey, 0, 0, 'WITHSCORES')
    if top[1] then redis.call('ZADD', people, top[2], author .. ':' .. top[1]) end
  end
end
`;

/**
 * KEYS: post, tombstone[, index, author index, people, version]; ARGV: value, ttl, deadline (ms, Redis's clock, or ""
 * for none)[, id, score, trimBelow, indexTtl, author]. Refuses to run past the deadline, so a publish that waited in a
 * socket buffer cannot apply after its caller was told it failed; Redis's own clock decides, and the caller learns it
 * when refused. A post already stored answers "exists" even under a tombstone (a cleanup marks media before it checks
 * which posts are live), so a retry of a publish that went through is never refused. With the index keys (a single
 * Redis), the entries are added in the same atomic step as the post; a replay changes nothing.
 */
const PUBLISH_POST = script(`${INDEX_HELPERS}
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
  indexPost(KEYS[3], KEYS[4], KEYS[5], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
  bumpVersion(KEYS[6], ARGV[5], ARGV[7])
end
return {'created'}
`);

/**
 * KEYS: index, author index, people, version; ARGV: id, score, trimBelow, indexTtl, author. A cluster's first publish
 * step. The version moves now, before the post exists: a reader that meanwhile finds the entry without its post
 * treats the page as pending and lets its tag run out soon (lib/feed/paging.ts), so no 304 keeps a page without it.
 */
const INDEX_POST = script(`${INDEX_HELPERS}
indexPost(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
bumpVersion(KEYS[4], ARGV[2], ARGV[4])
return 1
`);

/**
 * KEYS: index, author index, people, version[, tombstone, post]; ARGV: id, author, now, indexTtl[, tombstone value,
 * tombstone ttl]. With the post's keys (a single Redis), the tombstone, the delete and the index entries go in one
 * atomic step; on a cluster the post's keys went first, so the version is bumped after the post is gone either way.
 */
const REMOVE_POST = script(`${INDEX_HELPERS}
if KEYS[5] then
  redis.call('SET', KEYS[5], ARGV[5], 'EX', ARGV[6])
  redis.call('DEL', KEYS[6])
end
unindexPost(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
bumpVersion(KEYS[4], ARGV[3], ARGV[4])
return 1
`);

// Adds what a rebuild step found: ARGV[from..] as (score, id, author, KEYS position of the author's index) quads,
// to the side index, and straight to each person's index and people (those reads are private until the index is
// complete, so they need no side copy). Lua's unpack fails above ~8,000 values: the side index is added in chunks.
const ADD_FOUND = `
local function addFound(side, people, from, ttl)
  local pairs = {}
  for i = from, #ARGV, 4 do
    local authorKey = KEYS[tonumber(ARGV[i + 3])]
    pairs[#pairs + 1] = ARGV[i]
    pairs[#pairs + 1] = ARGV[i + 1]
    addToPerson(authorKey, people, ARGV[i + 2], ARGV[i], ARGV[i + 1])
    redis.call('EXPIRE', authorKey, ttl)
  end
  for i = 1, #pairs, 1000 do
    redis.call('ZADD', side, 'NX', unpack(pairs, i, math.min(i + 999, #pairs)))
  end
  if #pairs > 0 then redis.call('EXPIRE', people, ttl) end
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

/**
 * KEYS: lock, cursor, side index, people, version, author indexes...; ARGV: token, leaseMs, cursor, stateTtl, release
 * ("1"/"0"), fresh, marker, indexTtl, now, quads (see ADD_FOUND). Pages read meanwhile are private, but a browser may
 * still revalidate one: the version moves with what the walk adds.
 */
const SAVE_REBUILD = script(`${INDEX_HELPERS}${ADD_FOUND}${CHECK_LEASE_AND_SIDE}
if not leaseAndSideHeld(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[6], ARGV[7]) then return 0 end
addFound(KEYS[3], KEYS[4], 10, ARGV[8])
bumpVersion(KEYS[5], ARGV[9], ARGV[8])
redis.call('EXPIRE', KEYS[3], ARGV[4])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
if ARGV[5] == '1' then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`);

/**
 * KEYS: lock, cursor, side index, index, people, version, author indexes...; ARGV: token, indexTtl, marker, fresh,
 * now, leaseMs, chunk, quads. The merge, a chunk per call so no call holds Redis long however large the feed: moves
 * up to `chunk` found entries from the side index into the index (entries written meanwhile are kept) and answers 2
 * while more remain, renewing the lease. The last call adds the marker (readers see the index as complete only once
 * all of it is there) and answers 1.
 */
const FINISH_REBUILD = script(`${INDEX_HELPERS}${ADD_FOUND}${CHECK_LEASE_AND_SIDE}
if not leaseAndSideHeld(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[4], ARGV[3]) then return 0 end
addFound(KEYS[3], KEYS[5], 8, ARGV[2])
local chunk = redis.call('ZRANGE', KEYS[3], '(0', '+inf', 'BYSCORE', 'LIMIT', 0, tonumber(ARGV[7]), 'WITHSCORES')
local moved = {}
for i = 1, #chunk, 2 do
  moved[#moved + 1] = chunk[i + 1]
  moved[#moved + 1] = chunk[i]
end
for i = 1, #moved, 1000 do
  redis.call('ZADD', KEYS[4], 'NX', unpack(moved, i, math.min(i + 999, #moved)))
end
for i = 1, #chunk, 2000 do
  local members = {}
  for j = i, math.min(i + 1999, #chunk), 2 do members[#members + 1] = chunk[j] end
  redis.call('ZREM', KEYS[3], unpack(members))
end
redis.call('EXPIRE', KEYS[4], ARGV[2])
if redis.call('ZCOUNT', KEYS[3], '(0', '+inf') > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  return 2
end
redis.call('ZADD', KEYS[4], 0, ARGV[3])
bumpVersion(KEYS[6], ARGV[5], ARGV[2])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 1
`);

/**
 * KEYS: index, the marker's index[, version]; ARGV: max, min, limit, marker[, tie score]. A page's index read as one
 * command instead of three or four (GET, ZRANGE, ZSCORE[, ZRANGE of the ties]): the version, the entries' ids, their
 * scores in one string (space-separated: one reply element instead of one per entry, which the client decodes
 * faster), whether the marker is there, and the entries sharing the cursor's score. Reads only: it is never refused
 * as a write, and on Upstash it runs as EVALSHA_RO, which a read replica may answer.
 */
const READ_INDEX = readOnlyScript(`
local version = false
if KEYS[3] then version = redis.call('GET', KEYS[3]) end
local entries = redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2], 'BYSCORE', 'REV', 'LIMIT', 0, ARGV[3], 'WITHSCORES')
local ids, scores = {}, {}
for i = 1, #entries, 2 do
  ids[#ids + 1] = entries[i]
  scores[#scores + 1] = entries[i + 1]
end
local marker = redis.call('ZSCORE', KEYS[2], ARGV[4])
local ties = {}
if ARGV[5] then ties = redis.call('ZRANGE', KEYS[1], ARGV[5], ARGV[5], 'BYSCORE', 'REV') end
return {version, ids, table.concat(scores, ' '), marker, ties}
`);

/** One script run: what every adapter sends, whatever its client's calling convention. */
export interface ScriptCall {
  script: Script;
  keys: string[];
  args: string[];
}

/** How an adapter's client runs a script, in one calling convention. */
export interface ScriptRunner {
  evalsha(sha1: string, keys: string[], args: string[]): Promise<unknown>;
  eval(source: string, keys: string[], args: string[]): Promise<unknown>;
}

/**
 * EVALSHA, loading the script with EVAL when this server has not seen it (a new or restarted Redis, or a flushed
 * script cache: NOSCRIPT). The one home of that fallback for every adapter.
 */
export async function runScript(runner: ScriptRunner, { script, keys, args }: ScriptCall): Promise<unknown> {
  try {
    return await runner.evalsha(script.sha1, keys, args);
  } catch (error) {
    if (!(error instanceof Error && error.message.includes("NOSCRIPT"))) throw error;
    return runner.eval(script.source, keys, args);
  }
}

/** One page's read of an index, on every Redis adapter. */
export function readIndexCall(query: IndexQuery): ScriptCall {
  const max = query.below === undefined ? "+inf" : exclusive(query.below);
  const keys = [query.indexKey, query.markerKey, ...(query.versionKey ? [query.versionKey] : [])];
  const args = [max, String(query.minScore), String(query.limit), query.marker];
  if (query.below !== undefined) args.push(String(query.below));
  return { script: READ_INDEX, keys, args };
}

/** With the index (one Redis), post and entries are written in one atomic step; without, only the post and tombstone. */
export function publishCall(write: PostWrite, deadline: string, withIndex: boolean): ScriptCall {
  const post = { keys: [write.key, write.tombstoneKey], args: [write.value, String(write.ttlSeconds), deadline] };
  if (!withIndex) return { script: PUBLISH_POST, ...post };
  const index = indexCall(write);
  return { script: PUBLISH_POST, keys: [...post.keys, ...index.keys], args: [...post.args, ...index.args] };
}

/** The index entries of a post, on their own: a cluster's first publish step. */
export function indexCall(write: PostWrite): ScriptCall {
  const { id, score, trimBelow, indexTtlSeconds, author } = write;
  return {
    script: INDEX_POST,
    keys: [write.indexKey, write.authorKey, write.peopleKey, write.versionKey],
    args: [id, String(score), String(trimBelow), String(indexTtlSeconds), author],
  };
}

/** A post's index entries out (people's entry moved on to the author's next post): a cluster's second step. */
export function unindexCall(entry: PostListing & { id: string; nowMs: number; indexTtlSeconds: number }): ScriptCall {
  return {
    script: REMOVE_POST,
    keys: [entry.indexKey, entry.authorKey, entry.peopleKey, entry.versionKey],
    args: [entry.id, entry.author, String(entry.nowMs), String(entry.indexTtlSeconds)],
  };
}

/** The whole removal in one atomic step (one Redis): tombstone, delete and index entries. */
export function removeCall(removal: PostRemoval): ScriptCall {
  const unindex = unindexCall(removal);
  return {
    script: REMOVE_POST,
    keys: [...unindex.keys, removal.tombstoneKey, removal.key],
    args: [...unindex.args, removal.tombstone, String(removal.tombstoneTtlSeconds)],
  };
}

export function saveRebuildCall(lease: RebuildLease, progress: RebuildProgress): ScriptCall {
  const { cursor, entries, release, fresh } = progress;
  const found = foundArgs(entries, 6);
  return {
    script: SAVE_REBUILD,
    keys: [lease.lockKey, lease.cursorKey, lease.buildKey, lease.peopleKey, lease.versionKey, ...found.authorKeys],
    args: [
      lease.token,
      String(lease.leaseMs),
      cursor,
      String(lease.stateTtlSeconds),
      flag(release),
      flag(fresh),
      lease.marker,
      String(lease.indexTtlSeconds),
      String(progress.nowMs),
      ...found.args,
    ],
  };
}

// Entries moved from the side index to the index per call of the finishing script.
export const MERGE_CHUNK = 5000;

/**
 * One call of the finishing script. Only the first carries the last step's entries (and `fresh`); the next ones only
 * go on moving the side index, which by then holds the marker.
 */
export function finishRebuildCall(lease: RebuildLease, finish: RebuildFinish, first: boolean): ScriptCall {
  const { entries, fresh, nowMs } = finish;
  const found = foundArgs(first ? entries : [], 7);
  const keys = [lease.lockKey, lease.cursorKey, lease.buildKey, lease.indexKey, lease.peopleKey, lease.versionKey];
  const times = [String(nowMs), String(lease.leaseMs), String(MERGE_CHUNK)];
  return {
    script: FINISH_REBUILD,
    keys: [...keys, ...found.authorKeys],
    args: [lease.token, String(lease.indexTtlSeconds), lease.marker, flag(first && fresh), ...times, ...found.args],
  };
}

/** Runs the finishing script until the merge is done (true) or the lease turns out lost (false). */
export async function runFinishRebuild(
  run: (call: ScriptCall) => Promise<unknown>,
  lease: RebuildLease,
  finish: RebuildFinish,
): Promise<boolean> {
  for (let first = true; ; first = false) {
    const answer = Number(await run(finishRebuildCall(lease, finish, first)));
    if (answer !== 2) return answer === 1;
  }
}

const flag = (value: boolean): string => (value ? "1" : "0");

/** ADD_FOUND's quads, with each distinct author index declared once in KEYS from position `firstKey` (1-based). */
function foundArgs(entries: readonly RebuildEntry[], firstKey: number): { authorKeys: string[]; args: string[] } {
  const positions = new Map<string, number>();
  const args = entries.flatMap(({ id, score, author, authorKey }) => {
    if (!positions.has(authorKey)) positions.set(authorKey, firstKey + positions.size);
    return [String(score), id, author, String(positions.get(authorKey))];
  });
  return { authorKeys: [...positions.keys()], args };
}
