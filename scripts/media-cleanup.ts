// `npm run media:cleanup -- [--older-than 2h] [--apply]`: lists feed media left on Cloudinary; deletes only with --apply.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { deleteGrouped } from "../lib/admin/media-cleanup.js";
import { findLeftovers, MIN_SWEEP_AGE_MS, type SweepDeps } from "../lib/admin/media-sweep.js";
import { createStore } from "../lib/app.js";
import { createCloudinaryAdmin } from "../lib/cloudinary/admin-api.js";
import { withBackoff } from "../lib/cloudinary/admin-api-backoff.js";
import { parseDurationSeconds } from "../lib/duration.js";
import { type Config, type EnvSource, loadConfig, readEnvironment } from "../lib/env.js";
import { ConfigError } from "../lib/errors.js";
import type { FeedStore } from "../lib/store/feed-store.js";
import { MemoryStore } from "../lib/store/memory-store.js";
import { withLocalDefaults } from "./local-defaults.js";
import { describeFailure } from "./media-cleanup-failure.js";
import { formatBatch, formatCandidates, plural } from "./media-cleanup-report.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

// No function time limit here, so a slow listing page of 500 resources gets longer than the endpoint's 4 s.
const CLI_TIMEOUT_MS = 15_000;
// Posts live an hour and an upload may wait up to an hour to be posted: media older than two hours is never live.
const DEFAULT_OLDER_THAN = "2h";

const USAGE = `Usage: npm run media:cleanup -- [--older-than <duration>] [--apply]
  --older-than  only media uploaded longer ago than this (default ${DEFAULT_OLDER_THAN}, at least 1h): a whole number
                and s, m, h or d, e.g. 90m, 2h or 3d
  --apply       delete the listed media; without it nothing is deleted
Exit codes: 0 done, 1 Cloudinary/Redis failure or some deletes failed, 2 bad arguments or configuration.`;

export interface CliDeps {
  env?: EnvSource;
  /** Where live posts are checked; defaults to the configured Redis. */
  store?: Pick<FeedStore, "getValues">;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

interface Options {
  olderThanMs: number;
  olderThan: string;
  apply: boolean;
  help: boolean;
}

export function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      "older-than": { type: "string", default: DEFAULT_OLDER_THAN },
      apply: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const olderThan = values["older-than"];
  const seconds = parseDurationSeconds(olderThan);
  if (seconds === undefined) throw new Error(`--older-than: "${olderThan}" is not a duration like 90m, 2h or 3d`);
  const olderThanMs = seconds * 1000;
  if (olderThanMs < MIN_SWEEP_AGE_MS) {
    throw new Error("--older-than: must be at least 1h (a younger upload may still be about to become a post)");
  }
  return { olderThanMs, olderThan, apply: values.apply, help: values.help };
}

interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

interface Run extends SweepDeps {
  options: Options;
  config: Config;
}

export async function main(args: string[], deps: CliDeps = {}): Promise<number> {
  const io: Output = {
    out: deps.out ?? ((line) => process.stdout.write(`${line}\n`)),
    err: deps.err ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  const run = prepare(args, deps, io);
  if (typeof run === "number") return run;
  try {
    return await sweep(run, io);
  } catch (error) {
    io.err(describeFailure(error, run.now()));
    return EXIT_FAILURE;
  }
}

/** Arguments, configuration and clients; an exit code instead when there is nothing (safe) to run. */
function prepare(args: string[], deps: CliDeps, { out, err }: Output): Run | number {
  let options: Options;
  let config: Config;
  try {
    options = parseOptions(args);
    if (options.help) {
      out(USAGE);
      return EXIT_OK;
    }
    // Offline, the same local stand-in as `npm run dev` (its Cloudinary calls go to the dev server).
    config = withLocalDefaults(loadConfig(deps.env ?? readEnvironment()));
  } catch (error) {
    err(error instanceof ConfigError ? error.message : `${(error as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const noRedis = config.redis.kind === "memory" && !deps.store;
  if (noRedis && options.apply) {
    err(
      "No Redis configured: this command cannot see which posts are live, so it will not delete anything.\n" +
        "Set REDIS_URL or UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN (the same database the feed uses).",
    );
    return EXIT_USAGE;
  }
  if (noRedis)
    err("Warning: no Redis configured, so live posts cannot be checked; this preview may list media in use.");
  const now = deps.now ?? Date.now;
  const client = createCloudinaryAdmin(config.media, { fetch: deps.fetch, now, timeoutMs: CLI_TIMEOUT_MS });
  const admin = withBackoff(client, {
    sleep: deps.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    onWait: (ms, attempt) =>
      err(`Cloudinary rate limit reached: waiting ${Math.ceil(ms / 1000)} s (retry ${attempt}).`),
  });
  // Without Redis an empty in-process store stands in (preview only), without the store's own start-up notice.
  const store = deps.store ?? (noRedis ? new MemoryStore() : createStore(config));
  return { options, config, admin, store, folder: config.media.folder, now };
}

/** Lists, prints the candidates and, with --apply, deletes them batch by batch. */
async function sweep(run: Run, { out, err }: Output): Promise<number> {
  const { options, config, now } = run;
  const where =
    config.media.account === "local"
      ? `the local media store at ${config.media.apiBase}`
      : `cloud "${config.media.cloudName}"`;
  const cutoff = new Date(now() - options.olderThanMs).toISOString();
  out(`Feed media in ${run.folder}/ on ${where}, uploaded before ${cutoff} (older than ${options.olderThan}).`);
  const leftovers = await findLeftovers(options.olderThanMs, run);
  for (const line of formatCandidates(leftovers, now())) out(line);
  const { candidates } = leftovers;
  if (candidates.length === 0) return EXIT_OK;
  if (!options.apply) {
    out(`Dry run: nothing was deleted. Add --apply to delete these ${plural(candidates.length, "file")}.`);
    return EXIT_OK;
  }
  out(`Deleting ${plural(candidates.length, "file")}...`);
  const outcomes = [...(await deleteGrouped(candidates, run.admin, (report) => out(formatBatch(report)))).values()];
  const count = (outcome: string) => outcomes.filter((value) => value === outcome).length;
  const failed = count("failed") + candidates.length - outcomes.length;
  out(`Done: ${count("deleted")} deleted, ${count("not_found")} already gone, ${failed} failed.`);
  if (failed > 0) err(`${plural(failed, "file")} could not be deleted; run the command again to retry them.`);
  return failed > 0 ? EXIT_FAILURE : EXIT_OK;
}

// Run only when invoked as a script (npm run media:cleanup), not when a test imports main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Exits explicitly: an open Redis connection would otherwise keep the process alive.
  process.exit(await main(process.argv.slice(2)));
}
