// Counts what an ioredis client sends on every connection it has: commands by name, and sequential round trips.
import { Cluster, type Redis } from "ioredis";

export interface CommandCounts {
  roundTrips: number;
  commands: number;
}

export interface CommandCounter {
  /** Counts since the last reset. */
  read(): CommandCounts;
  /** Command names (lower case) since the last reset, one list per round trip, in the order they were sent. */
  steps(): string[][];
  reset(): void;
  /** Commands sent per name (lower case) since the counter was attached, never reset: compared with the server's. */
  totals(): Map<string, number>;
}

type Command = Parameters<Redis["sendCommand"]>[0];

/**
 * Wraps `sendCommand` on each connection (the one node, or every node a Cluster opens, as it announces it with
 * "+node"), the method every command goes through, so the store under test runs unchanged.
 *
 * A round trip is a sequential step: a command sent while none of this client's commands awaits its reply, on any
 * connection, starts a new one; commands sent while replies are outstanding ride along with it. So a pipeline or a
 * MULTI is one round trip, and so are pipelines sent to several cluster masters at once; on one node that is one per
 * lone command or pipeline, as before, while lone commands running concurrently now count as one step.
 */
export function countCommands(client: Redis | Cluster): CommandCounter {
  let counts: CommandCounts = { roundTrips: 0, commands: 0 };
  let steps: string[][] = [];
  let outstanding = 0;
  const totals = new Map<string, number>();
  const settled = () => {
    outstanding -= 1;
  };
  const record = (command: Command) => {
    const name = command.name.toLowerCase();
    if (outstanding === 0) {
      counts.roundTrips += 1;
      steps.push([]);
    }
    outstanding += 1;
    counts.commands += 1;
    steps[steps.length - 1]?.push(name);
    totals.set(name, (totals.get(name) ?? 0) + 1);
    command.promise.then(settled, settled);
  };
  const watch = watchConnections(record);
  if (client instanceof Cluster) {
    client.on("+node", watch);
    for (const node of client.nodes("all")) watch(node);
  } else {
    watch(client);
  }
  return {
    read: () => ({ ...counts }),
    steps: () => steps.map((step) => [...step]),
    reset() {
      counts = { roundTrips: 0, commands: 0 };
      steps = [];
    },
    totals: () => new Map(totals),
  };
}

/**
 * Wraps each connection's sendCommand once, and records each command once: a command queued while its connection was
 * still opening passes through sendCommand again when it is written.
 */
function watchConnections(record: (command: Command) => void): (connection: Redis) => void {
  const sent = new WeakSet<Command>();
  const watched = new WeakSet<Redis>();
  return (connection) => {
    if (watched.has(connection)) return;
    watched.add(connection);
    const send = connection.sendCommand.bind(connection);
    connection.sendCommand = (command, stream) => {
      if (!sent.has(command)) {
        sent.add(command);
        record(command);
      }
      return send(command, stream);
    };
  };
}
