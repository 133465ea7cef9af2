// `npm run bench [-- --smoke] [-- --redis-url <url>]`: the cost of a feed page vs the literal recipe, as a table.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type BenchApp, composeBenchApp } from "./bench-app.js";
import { type CellResult, measureInfoOverhead, runCell } from "./cell.js";
import { describeEnvironment } from "./environment.js";
import { type Profile, readOptions, UsageError } from "./options.js";
import { measureLargestPages } from "./page-size.js";
import { openRedisTarget, type RedisTarget } from "./redis-target.js";
import { renderReport } from "./report.js";
import { cellName, checkTargets } from "./targets.js";

const ROOT = resolve(import.meta.dirname, "..");
const progress = (line: string) => process.stderr.write(`${line}\n`);

/** Runs the matrix, prints (and in a full run writes) the report; the exit code says what went wrong, if anything. */
async function runBench(profile: Profile, bench: BenchApp, target: RedisTarget): Promise<number> {
  const started = performance.now();
  const environment = await describeEnvironment(target);
  const infoOverhead = await measureInfoOverhead(target);
  // A discarded first cell, so JIT and connection warm-up favour no measured cell (the first is the reference).
  await runCell(bench, target, profile, { posts: profile.posts[0], otherKeys: 0 }, infoOverhead);
  progress("warm-up cell done");
  const cells: CellResult[] = [];
  for (const otherKeys of profile.otherKeys) {
    for (const posts of profile.posts) {
      const cellStarted = performance.now();
      cells.push(await runCell(bench, target, profile, { posts, otherKeys }, infoOverhead));
      progress(`${cellName({ posts, otherKeys })}: ${((performance.now() - cellStarted) / 1000).toFixed(1)} s`);
    }
  }
  const largestPages = await measureLargestPages(bench, target);
  const targets = checkTargets(cells, largestPages);
  const durationSeconds = (performance.now() - started) / 1000;
  const markdown = renderReport({ profile: profile.name, environment, cells, largestPages, targets, durationSeconds });
  process.stdout.write(`${markdown}\n`);
  if (profile.outFile) {
    const path = resolve(ROOT, profile.outFile);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${markdown}\n`);
    progress(`Wrote ${profile.outFile}`);
  }

  const miscounted = cells.filter((cell) => cell.countCheck.client !== cell.countCheck.server);
  if (miscounted.length > 0) {
    progress(`Command counts disagree with the server in ${miscounted.map(cellName).join("; ")}: the bench is broken.`);
    return 1;
  }
  const failed = targets.filter((t) => !t.pass);
  const summary = `${targets.length - failed.length}/${targets.length} targets pass (${durationSeconds.toFixed(0)} s)`;
  // A smoke run proves the bench works; its tiny cells say nothing about the targets.
  if (profile.name === "smoke") progress(`Smoke run complete; its numbers mean nothing (${summary}).`);
  else progress(`${summary}.`);
  return profile.name === "full" && failed.length > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  const { profile, redisUrl } = readOptions(process.argv.slice(2));
  // The handlers log one line per request; thousands of stdout writes would be measured along with the feed.
  console.log = () => {};
  const target = await openRedisTarget(redisUrl);
  let bench: BenchApp | undefined;
  try {
    bench = await composeBenchApp(target.url);
    return await runBench(profile, bench, target);
  } finally {
    bench?.close();
    await target.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  progress(error.message);
  process.exitCode = 2;
}
