// The origin's CPU per page against the least work that serves the same page: both handlers in child processes of
// their own, under the same concurrent keep-alive load, in alternating rounds of one run, so drift in the machine's
// speed falls on both alike.
import { type ChildProcess, fork } from "node:child_process";
import { startUpstashBridge } from "../tests/support/upstash-bridge.js";
import { composeBenchApp, postShape } from "./bench-app.js";
import { completeIndex } from "./cell.js";
import { runLoad } from "./keep-alive-load.js";
import type { Profile } from "./options.js";
import type { OriginKind, OriginTransport } from "./origin-server.js";
import type { RedisTarget } from "./redis-target.js";
import { seedPosts } from "./seed.js";

// A feed with more posts than a page, so both handlers serve a full first page of 20.
const SEEDED_POSTS = 200;
const PATH = "/api/feed";
const SERVER_ENTRY = new URL("./origin-server.ts", import.meta.url).pathname;

export interface OriginRound {
  kind: OriginKind;
  cpuMsPerPage: number;
  pagesPerSecond: number;
}

export interface OriginCpuRun {
  transport: OriginTransport;
  concurrency: number;
  requestsPerRound: number;
  rounds: OriginRound[];
}

interface Origin {
  child: ChildProcess;
  port: number;
}

function nextMessage<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (!(key in message)) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message[key] as T);
    };
    const onExit = (code: number | null) => reject(new Error(`origin server exited (${code}) before sending ${key}`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

async function startOrigin(kind: OriginKind, transport: OriginTransport, url: string, token = ""): Promise<Origin> {
  // The child's logs go nowhere: production writes them, so they are part of what is measured.
  const child = fork(SERVER_ENTRY, [kind, transport, url, token], {
    execArgv: process.execArgv,
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return { child, port: await nextMessage<number>(child, "port") };
}

async function cpuMs(origin: Origin): Promise<number> {
  origin.child.send("cpu");
  const usage = await nextMessage<NodeJS.CpuUsage>(origin.child, "cpu");
  return (usage.user + usage.system) / 1000;
}

async function runRound(origin: Origin, kind: OriginKind, profile: Profile): Promise<OriginRound> {
  const { concurrency, maxSeconds } = profile.origin;
  const before = await cpuMs(origin);
  const load = await runLoad(origin.port, {
    path: PATH,
    concurrency,
    requests: profile.origin.requests,
    maxMs: maxSeconds * 1000,
  });
  const spent = (await cpuMs(origin)) - before;
  if (load.failures > 0 || load.pages === 0) throw new Error(`${kind}: ${load.failures} answers other than 200`);
  return { kind, cpuMsPerPage: spent / load.pages, pagesPerSecond: load.pages / (load.elapsedMs / 1000) };
}

/** Alternating rounds (project first in even rounds, least first in odd), after one discarded round each. */
async function compareOrigins(transport: OriginTransport, url: string, token: string | undefined, profile: Profile) {
  const origins = {
    project: await startOrigin("project", transport, url, token),
    least: await startOrigin("least", transport, url, token),
  };
  try {
    for (const kind of ["project", "least"] as const) await runRound(origins[kind], kind, profile);
    const rounds: OriginRound[] = [];
    for (let round = 0; round < profile.origin.repeats; round += 1) {
      const order = round % 2 === 0 ? (["project", "least"] as const) : (["least", "project"] as const);
      for (const kind of order) rounds.push(await runRound(origins[kind], kind, profile));
    }
    return rounds;
  } finally {
    for (const origin of Object.values(origins)) origin.child.kill();
  }
}

export async function runOriginCpu(
  target: RedisTarget,
  profile: Profile,
  progress: (line: string) => void,
): Promise<OriginCpuRun[]> {
  await target.admin.flushdb();
  const bench = await composeBenchApp(target.url);
  try {
    await seedPosts(bench.store, postShape(bench), SEEDED_POSTS, bench.app.feed.now());
    await completeIndex();
  } finally {
    bench.close();
  }
  const runs: OriginCpuRun[] = [];
  const shape = { concurrency: profile.origin.concurrency, requestsPerRound: profile.origin.requests };
  runs.push({ transport: "tcp", ...shape, rounds: await compareOrigins("tcp", target.url, undefined, profile) });
  progress("origin CPU over TCP done");
  const bridge = await startUpstashBridge(target.url);
  try {
    const rest = { ...shape, requestsPerRound: profile.origin.restRequests };
    const restProfile = { ...profile, origin: { ...profile.origin, requests: profile.origin.restRequests } };
    runs.push({
      transport: "rest",
      ...rest,
      rounds: await compareOrigins("rest", bridge.url, bridge.token, restProfile),
    });
  } finally {
    await bridge.close();
  }
  progress("origin CPU over REST done");
  return runs;
}
