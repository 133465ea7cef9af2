// Cross-checks the counting client against the servers' own INFO commandstats, command name by command name.
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";
import type { CommandCounter } from "./counting-client.js";

// INFO is the bench reading these very counts; HELLO, CLIENT, CLUSTER, PING and SELECT are what clients send as they
// connect (a cluster client's slot refresh opens a connection of its own); REPLCONF and PSYNC are a cluster's replicas
// talking to their masters. None of them is a feed command.
export const HOUSEKEEPING_COMMANDS = ["info", "hello", "client", "cluster", "ping", "select", "replconf", "psync"];
const HOUSEKEEPING = new Set(HOUSEKEEPING_COMMANDS);
// Redis counts the commands a script calls under their own names, so where a script ran those names cannot be told
// apart; the list is read from the scripts themselves, so a new call in a script is never compared by mistake.
const SCRIPT_SOURCES = new URL("../lib/store/scripts.ts", import.meta.url);
const SCRIPT_RUNNERS = ["eval", "evalsha"];

export interface CountSources {
  counter: CommandCounter;
  /** Every server the client talks to (each master of a cluster), asked for INFO commandstats. */
  servers: Redis[];
}

export interface CountCheck {
  span: string;
  /** The command names compared: every name either side counted, less housekeeping and, if scripts ran, theirs. */
  compared: string[];
  client: number;
  server: number;
  /** "name: client vs server" for each compared name whose counts differ. */
  differences: string[];
}

function commandsCalledByScripts(): Set<string> {
  const source = readFileSync(SCRIPT_SOURCES, "utf8");
  const names = [...source.matchAll(/redis\.p?call\(\s*['"](\w+)['"]/g)].map(([, name]) => name.toLowerCase());
  if (names.length === 0) throw new Error(`no redis.call found in ${SCRIPT_SOURCES.pathname}: update the parser`);
  return new Set(names);
}

const SCRIPT_COMMANDS = commandsCalledByScripts();

/** Runs `run` and compares, name by name, what the counting client sent with what the servers processed meanwhile. */
export async function checkCounts<T>(
  sources: CountSources,
  span: string,
  run: () => Promise<T>,
): Promise<{ result: T; check: CountCheck }> {
  const clientBefore = sources.counter.totals();
  const serverBefore = await readServerCounts(sources.servers);
  const result = await run();
  const client = subtract(sources.counter.totals(), clientBefore);
  const server = subtract(await readServerCounts(sources.servers), serverBefore);
  return { result, check: compareCounts(span, client, server) };
}

/** An empty comparison is a failure too: a span that ran no feed command would prove nothing. */
export const countsAgree = (check: CountCheck) => check.compared.length > 0 && check.differences.length === 0;

function compareCounts(span: string, client: Map<string, number>, server: Map<string, number>): CountCheck {
  const ranScripts = SCRIPT_RUNNERS.some((name) => client.has(name) || server.has(name));
  const compared = [...new Set([...client.keys(), ...server.keys()])]
    .filter((name) => !HOUSEKEEPING.has(name) && !(ranScripts && SCRIPT_COMMANDS.has(name)))
    .sort();
  const at = (counts: Map<string, number>, name: string) => counts.get(name) ?? 0;
  const total = (counts: Map<string, number>) => compared.reduce((sum, name) => sum + at(counts, name), 0);
  return {
    span,
    compared,
    client: total(client),
    server: total(server),
    differences: compared
      .filter((name) => at(client, name) !== at(server, name))
      .map((name) => `${name}: ${at(client, name)} vs ${at(server, name)}`),
  };
}

/**
 * Calls per command name (subcommands under their command), summed over the servers. Rejected calls are added: a
 * command refused before it ran (a redirection, a wrong argument count) was still sent.
 */
async function readServerCounts(servers: Redis[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const server of servers) {
    for (const line of (await server.info("commandstats")).split("\r\n")) {
      const match = /^cmdstat_([^:|]+)[^:]*:calls=(\d+),.*rejected_calls=(\d+)/.exec(line);
      if (match) counts.set(match[1], (counts.get(match[1]) ?? 0) + Number(match[2]) + Number(match[3]));
    }
  }
  return counts;
}

/** The names whose count grew, and by how much. */
function subtract(after: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const grown = new Map<string, number>();
  for (const [name, count] of after) {
    const delta = count - (before.get(name) ?? 0);
    if (delta !== 0) grown.set(name, delta);
  }
  return grown;
}
