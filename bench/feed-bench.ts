// `npm run bench [-- --smoke] [-- --redis-url <url>]`: the cost of a feed page vs the literal recipe, as a table.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type BenchApp, composeBenchApp } from "./bench-app.js";
import { type CellResult, cellName, runCell, runGrid } from "./cell.js";
import { runClusterCells } from "./cluster-cell.js";
import { countsAgree } from "./count-check.js";
import { describeEnvironment } from "./environment.js";
import { runForeignKeyCells } from "./foreign-keys.js";
import { type Profile, readOptions, UsageError } from "./options.js";
import { runOriginCpu } from "./origin-cpu.js";
import { measureLargestPages, type PageSizeResult } from "./page-size.js";
import { runRebuildsBehindDelays } from "./rebuild-delay.js";
import { openRedisTarget, type RedisTarget } from "./redis-target.js";
import { renderReport } from "./report.js";
import { checkTargets, type MeasuredRun } from "./targets.js";
import { runTrafficModel } from "./traffic-model.js";

const ROOT = resolve(import.meta.dirname, "..");
const progress = (line: string) => process.stderr.write(`${line}\n`);

/** The single-node matrix and the largest pages, with an app of its own on the target. */
async function runSingleNode(
  profile: Profile,
  target: RedisTarget,
): Promise<{ cells: CellResult[]; largestPages: PageSizeResult[] }> {
  let bench: BenchApp | undefined;
  try {
    bench = await composeBenchApp(target.url);
    const app = bench;
    // A discarded first cell, so JIT and connection warm-up favour no measured cell (the first is the reference).
    await runCell(app, target, profile, { posts: profile.posts[0], otherKeys: 0 });
    progress("warm-up cell done");
    const cells = await runGrid(profile, "", (cell) => runCell(app, target, profile, cell), progress);
    return { cells, largestPages: await measureLargestPages(app, target) };
  } finally {
    bench?.close();
  }
}

/** Every span whose client and server counts disagree, named; empty when the counting is sound. */
function findMiscounts(run: MeasuredRun): string[] {
  const spans = [
    ...run.cells.flatMap((cell) => cell.countChecks.map((check) => ({ where: cellName(cell), check }))),
    ...run.clusterCells.flatMap((cell) =>
      cell.countChecks.map((check) => ({ where: `cluster ${cellName(cell)}`, check })),
    ),
    ...run.rebuilds.runs.map((rebuild) => ({ where: cellName(run.rebuilds), check: rebuild.countCheck })),
    ...run.traffic.map((day) => ({ where: "traffic model", check: day.countCheck })),
  ];
  return spans.filter(({ check }) => !countsAgree(check)).map(({ where, check }) => `${where} ${check.span}`);
}

/** Runs every section, prints (and in a full run writes) the report; the exit code says what went wrong, if anything. */
async function runBench(profile: Profile, target: RedisTarget): Promise<number> {
  const started = performance.now();
  const environment = await describeEnvironment(target);
  const { cells, largestPages } = await runSingleNode(profile, target);
  const rebuilds = await runRebuildsBehindDelays(target, profile, progress);
  const clusterCells = await runClusterCells(profile, progress);
  const foreignKeys = await runForeignKeyCells(target, profile, progress);
  const originCpu = await runOriginCpu(target, profile, progress);
  const traffic = await runTrafficModel(target, profile, progress);
  const run: MeasuredRun = { cells, clusterCells, rebuilds, largestPages, foreignKeys, originCpu, traffic };
  const targets = checkTargets(run);
  const durationSeconds = (performance.now() - started) / 1000;
  const markdown = renderReport({ ...run, profile: profile.name, environment, targets, durationSeconds });
  process.stdout.write(`${markdown}\n`);
  if (profile.outFile) {
    const path = resolve(ROOT, profile.outFile);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${markdown}\n`);
    progress(`Wrote ${profile.outFile}`);
  }

  const miscounted = findMiscounts(run);
  if (miscounted.length > 0) {
    progress(`Command counts disagree with the server in ${miscounted.join("; ")}: the bench is broken.`);
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
  try {
    return await runBench(profile, target);
  } finally {
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
