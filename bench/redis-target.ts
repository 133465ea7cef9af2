// The Redis the bench measures: a throw-away redis-server it starts, or an empty database the caller names.
import { Redis } from "ioredis";
import { startRedisServer } from "../tests/support/redis-server.js";
import { UsageError } from "./options.js";

export interface RedisTarget {
  url: string;
  /** For seeding, INFO and flushing; never the client under measurement. */
  admin: Redis;
  /** Whether the bench started this server (and so may do anything to it). */
  owned: boolean;
  close(): Promise<void>;
}

export async function openRedisTarget(url: string | undefined): Promise<RedisTarget> {
  if (!url) {
    const server = await startRedisServer();
    return { url: server.url, admin: server.client, owned: true, close: () => server.stop() };
  }
  const admin = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await admin.connect();
  // The bench flushes the database between cells; it refuses any database that already holds someone's data.
  const size = await admin.dbsize();
  if (size !== 0) {
    admin.disconnect();
    throw new UsageError(
      `The database at --redis-url holds ${size} keys; the bench needs an empty, throw-away one (it runs FLUSHDB). ` +
        "Omit --redis-url to let it start its own redis-server.",
    );
  }
  return {
    url,
    admin,
    owned: false,
    async close() {
      await admin.flushdb();
      admin.disconnect();
    },
  };
}

/** One section of INFO as a map (`INFO memory` → used_memory, ...). */
export async function readInfo(admin: Redis, section: string): Promise<Record<string, string>> {
  const text = await admin.info(section);
  const fields: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const at = line.indexOf(":");
    if (at > 0 && !line.startsWith("#")) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return fields;
}
