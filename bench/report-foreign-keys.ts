// The report's table for a rebuild among other code's keys under `feed:*`: time, what it read, and process memory.
import { MAX_POST_BYTES } from "../lib/feed/keys.js";
import type { ForeignKeysRun } from "./foreign-keys.js";
import { TIMELINE_BYTES } from "./foreign-seed.js";
import { ms, num, row, section } from "./markdown.js";
import { INCOMPLETE_CACHE_CONTROL } from "./rebuild-delay.js";

const PROSE = [
  "The feed shares its Redis with the rest of the app, whose keys may match `feed:*` too. Each run seeds",
  `\`feed:user:<n>:timeline\` strings of ${num(TIMELINE_BYTES / 1024)} KB, \`feed:user:<n>\` hashes, and values under`,
  "post-shaped names (`feed:` and 12 id characters) that hold no post: a hash, a list, a set, a sorted set, a long",
  "string and a short non-JSON one; then the posts. `{feed}:index` is deleted and `GET /api/feed?limit=20` sent one",
  "request after another, with no added delay, until a response is complete. The rebuild reads only post-shaped keys,",
  `at most ${num(MAX_POST_BYTES)} bytes each (GETRANGE): values read counts those commands. RSS is this process's`,
  "resident memory (`process.memoryUsage.rss()`, sampled every 20 ms) before the first request and at its highest",
  "until the complete page. The rebuild that read every key SCAN matched (before post-key filtering and bounded reads)",
  "failed a cluster on a foreign hash (WRONGTYPE); on one node, this section measured it at 3.9 s for the first slice",
  "and RSS 194 → 957 MB among 10,000 timelines (80 MB of growth among 1,000).",
];

const COLUMNS: [string, string][] = [
  ["Redis", "---"],
  ["20 KB strings", "--:"],
  ["hashes", "--:"],
  ["post-shaped others", "--:"],
  ["posts", "--:"],
  ["requests", "--:"],
  ["max ms", "--:"],
  ["total ms", "--:"],
  ["values read", "--:"],
  [`incomplete pages \`${INCOMPLETE_CACHE_CONTROL}\``, "--:"],
  ["final page = the 20 newest", "---"],
  ["RSS before MB", "--:"],
  ["RSS peak MB", "--:"],
];

export function renderForeignKeys(runs: ForeignKeysRun[]): string[] {
  const rows = runs.map((run) =>
    row([
      run.redis,
      num(run.timelines),
      num(run.userHashes),
      num(run.postShaped),
      num(run.posts),
      run.completed ? num(run.requestMs.length) : `**${num(run.requestMs.length)}, not complete**`,
      ms(Math.max(...run.requestMs)),
      ms(run.requestMs.reduce((sum, value) => sum + value, 0)),
      num(run.valuesRead),
      `${run.incompletePrivate} of ${run.incomplete}`,
      run.finalPageRight ? "yes" : "**no**",
      run.rssBeforeMb.toFixed(0),
      run.rssPeakMb.toFixed(0),
    ]),
  );
  return section("Rebuilding a lost index among other code's keys under `feed:*`", PROSE, COLUMNS, rows);
}
