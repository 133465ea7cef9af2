// A page's tag names when the page next changes by itself (an expiry): until then, with no write, every read of the
// same page must give exactly the same page, so a CDN or a 304 may stand for it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readPage } from "../lib/feed-reads.js";
import { MemoryStore } from "../lib/store/memory-store.js";
import { makePost, publish, removalFor, TTL } from "./support/store-fixtures.js";

const TTL_MS = TTL * 1000;

describe("a page's next change (changesAt)", () => {
  it("comes no later than the first expiry that changes the page, for any feed, ghosts and page size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ age: fc.nat(TTL_MS - 1), ghost: fc.boolean({ weight: 1 }) }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        async (entries, limit) => {
          const clock = { now: Date.now() };
          const store = new MemoryStore(() => clock.now);
          for (const { age, ghost } of entries) {
            const post = makePost(clock.now - age);
            await publish(store, post);
            if (ghost) await store.removePost(removalFor(post, "elsewhere")); // its index entry stays behind
          }
          const read = (at: number) =>
            readPage({ limit }, { store, ttlSeconds: TTL, now: () => at, redisTimeoutMs: 2000 });
          const first = await read(clock.now); // checks the index against the posts (a rebuild), so the next read is plain
          const { page, changesAt } = await read(clock.now);
          expect(page).toEqual(first.page);
          // Every moment some entry expires before changesAt (and the last millisecond before it) reads the same page.
          const until = changesAt ?? clock.now + TTL_MS + 1;
          const moments = entries.flatMap(({ age }) => [clock.now - age + TTL_MS, clock.now - age + TTL_MS + 1]);
          for (const at of [...new Set([...moments, until - 1])].filter((t) => t > clock.now && t < until)) {
            expect((await read(at)).page).toEqual(page);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
