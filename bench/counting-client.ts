// Counts what an ioredis client sends: commands, and round trips (one per lone command, one per pipeline or MULTI).
import type { Redis } from "ioredis";

export interface CommandCounts {
  roundTrips: number;
  commands: number;
}

export interface CommandCounter {
  /** Counts since the last reset. */
  read(): CommandCounts;
  reset(): void;
  /** Commands sent since the counter was attached, never reset (to compare with the server's own count). */
  total(): number;
}

/**
 * Wraps the client's `sendCommand`, the one method every command goes through (a pipeline passes each of its
 * commands with the same batch object, written to the socket at once), so the store under test runs unchanged.
 * The bench cross-checks these counts against the server's `total_commands_processed`.
 */
export function countCommands(client: Redis): CommandCounter {
  const send = client.sendCommand.bind(client);
  let counts: CommandCounts = { roundTrips: 0, commands: 0 };
  let batches = new WeakSet<object>();
  let total = 0;
  client.sendCommand = (...args: Parameters<Redis["sendCommand"]>) => {
    const [, batch] = args;
    counts.commands += 1;
    total += 1;
    if (!batch) counts.roundTrips += 1;
    else if (!batches.has(batch)) {
      batches.add(batch);
      counts.roundTrips += 1;
    }
    return send(...args);
  };
  return {
    read: () => ({ ...counts }),
    reset() {
      counts = { roundTrips: 0, commands: 0 };
      batches = new WeakSet();
    },
    total: () => total,
  };
}
