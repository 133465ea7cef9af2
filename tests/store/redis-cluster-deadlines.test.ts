// A publish answered 503 never appears on a real Redis Cluster, even after another master's clock was found to run
// ahead: each master's clock offset is its own.
import { describe, expect, it } from "vitest";
import { ServiceUnavailableError } from "../../lib/errors.js";
import { INDEX_KEY, postKey } from "../../lib/feed/keys.js";
import type { Post } from "../../lib/schemas.js";
import { guardStore } from "../../lib/store/guard.js";
import { createClusterClient } from "../../lib/store/tcp-client.js";
import { TcpStore } from "../../lib/store/tcp-store.js";
import { useRedisCluster } from "../support/redis-cluster.js";
import { makePost, sleep, writeFor } from "../support/store-fixtures.js";

const cluster = useRedisCluster();
const TIMEOUT_MS = 800;

/** A post whose key lives on the master at `port`. */
async function postOn(port: number): Promise<Post> {
  for (;;) {
    const post = makePost(Date.now());
    if ((await cluster().masterFor(postKey(post.id))) === port) return post;
  }
}

describe("publish deadlines on a Redis Cluster", () => {
  it("never applies a stalled publish on one master after another master's clock was found 3 s ahead", async () => {
    await cluster().flushAll();
    const indexPort = await cluster().masterFor(INDEX_KEY);
    const [ahead, stalled] = (await cluster().masters())
      .map((master) => Number(master.split(":")[1]))
      .filter((port) => port !== indexPort);
    const client = createClusterClient(cluster().url, TIMEOUT_MS);
    const store = guardStore(new TcpStore(client, TIMEOUT_MS), { timeoutMs: TIMEOUT_MS });
    try {
      // Both masters have run the publish script once (so the stalled one is a real write, not a NOSCRIPT).
      expect(await store.publishPost(writeFor(await postOn(stalled)))).toEqual({ status: "created" });
      // The master `ahead` answers its first publish as a master whose clock runs 3 s ahead of ours does: "late",
      // with its time. The store learns that offset, retries on that master, and the post is created.
      const aheadPost = await postOn(ahead);
      const evalsha = client.evalsha.bind(client) as (...args: unknown[]) => Promise<unknown>;
      let answeredLate = false;
      Object.assign(client, {
        evalsha: async (...args: unknown[]) => {
          if (!answeredLate && args.includes(postKey(aheadPost.id))) {
            answeredLate = true;
            return ["late", String(Date.now() + 3000)];
          }
          return evalsha(...args);
        },
      });
      expect(await store.publishPost(writeFor(aheadPost))).toEqual({ status: "created" });
      expect(answeredLate).toBe(true);

      // The other master hangs (SIGSTOP) while a publish waits in its socket buffer, past the timeout.
      const late = await postOn(stalled);
      cluster().pause(stalled);
      let answer: unknown;
      try {
        answer = await store.publishPost(writeFor(late)).catch((error: unknown) => error);
      } finally {
        cluster().resume(stalled);
      }
      expect(answer).toBeInstanceOf(ServiceUnavailableError);
      await sleep(1000); // the buffered script has run by now, on a master whose clock is right
      expect(await cluster().client.get(postKey(late.id))).toBeNull();
    } finally {
      client.disconnect();
    }
  });
});
