// The browser client's polling: ETags, outages, hidden tabs and expiry, against msw.
import { delay, HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import type { Post } from "../../lib/schemas.js";
import { API, clientFor, makePost, useClientServer } from "../support/feed-client-fixtures.js";

const server = useClientServer();

describe("watch", () => {
  /** Answers GET /api/feed from a script of responses, recording each request's If-None-Match. */
  function scriptFeed(...answers: (() => Response)[]) {
    const etagsSent: (string | null)[] = [];
    server.use(
      http.get(`${API}/api/feed`, ({ request }) => {
        etagsSent.push(request.headers.get("if-none-match"));
        return (answers.shift() ?? (() => new HttpResponse(null, { status: 304 })))();
      }),
    );
    return etagsSent;
  }
  const page =
    (etag: string, ...items: Post[]) =>
    () =>
      HttpResponse.json({ items, nextCursor: null }, { headers: { ETag: etag } });
  const unavailable = () =>
    HttpResponse.json(
      { error: { code: "service_unavailable", message: "down" } },
      { status: 503, headers: { "Retry-After": "5" } },
    );

  it("sends the last ETag as If-None-Match and treats 304 as no change", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const etagsSent = scriptFeed(page('"v1"', makePost()));
    const onChange = vi.fn();
    const watch = clientFor().watch(onChange, { intervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(2500);
    watch.stop();
    expect(etagsSent).toEqual([null, '"v1"', '"v1"']);
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange.mock.calls[0][0]).toEqual([makePost()]);
  });

  it("gives up on a poll that hangs and keeps watching", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let calls = 0;
    server.use(
      http.get(`${API}/api/feed`, async () => {
        calls += 1;
        if (calls === 1) await delay("infinite");
        return page('"v1"', makePost())();
      }),
    );
    const onChange = vi.fn();
    const statuses: boolean[] = [];
    const watch = clientFor().watch(onChange, { intervalMs: 1000, onStatus: (s) => statuses.push(s.ok) });
    await vi.advanceTimersByTimeAsync(15_000);
    expect(statuses).toEqual([false]);
    await vi.advanceTimersByTimeAsync(5_000);
    watch.stop();
    expect(statuses[0]).toBe(false);
    expect(statuses.slice(1)).toContain(true);
    expect(onChange).toHaveBeenCalledWith([makePost()], expect.objectContaining({ hasMore: false }));
  });

  it("keeps the last good list through a 503 and waits at least Retry-After before polling again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const etagsSent = scriptFeed(page('"v1"', makePost()), unavailable, page('"v2"'));
    const onChange = vi.fn();
    const statuses: string[] = [];
    const watch = clientFor().watch(onChange, {
      intervalMs: 1000,
      onStatus: (s) => statuses.push(s.ok ? "ok" : s.error.code),
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(statuses).toEqual(["ok", "unavailable"]);
    await vi.advanceTimersByTimeAsync(4900);
    expect(etagsSent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(200);
    watch.stop();
    expect(etagsSent).toEqual([null, '"v1"', '"v1"']);
    expect(onChange.mock.calls.map(([posts]) => posts.length)).toEqual([1, 0]);
  });

  it("pauses while the tab is hidden and polls at once when it is shown again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const hidden = browserSignal(false);
    const visibility = { hidden: hidden.read, subscribe: hidden.subscribe };
    const etagsSent = scriptFeed(page('"v1"'));
    const watch = clientFor({ visibility }).watch(() => {}, { intervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(10);
    hidden.set(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(etagsSent).toHaveLength(1);
    hidden.set(false);
    await vi.advanceTimersByTimeAsync(10);
    watch.stop();
    expect(etagsSent).toEqual([null, '"v1"']);
  });

  it("never hands over a post whose hour is up, even when a cached page still lists it", async () => {
    const expired = makePost({ id: "oldoldold123", createdAt: new Date(Date.now() - 3601_000).toISOString() });
    scriptFeed(page('"v1"', makePost(), expired));
    const posts = await new Promise<Post[]>((resolve) => {
      const watch = clientFor().watch((items) => {
        watch.stop();
        resolve(items);
      });
    });
    expect(posts.map((post) => post.id)).toEqual(["abcdefghij12"]);
  });
});

describe("watch and the network", () => {
  const feedPage = () => HttpResponse.json({ items: [makePost()], nextCursor: null, ttlSeconds: 3600 });

  it("says offline as soon as the browser goes offline, polls nothing meanwhile, and polls at once when back", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const online = browserSignal(true);
    const connectivity = { online: online.read, subscribe: online.subscribe };
    let polls = 0;
    server.use(
      http.get(`${API}/api/feed`, () => {
        polls += 1;
        return feedPage();
      }),
    );
    const statuses: string[] = [];
    const watch = clientFor({ connectivity }).watch(() => {}, {
      intervalMs: 1000,
      onStatus: (s) => statuses.push(s.ok ? "ok" : s.error.code),
    });
    await vi.advanceTimersByTimeAsync(10);
    online.set(false);
    expect(statuses).toEqual(["ok", "offline"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(polls).toBe(1);
    online.set(true);
    await vi.advanceTimersByTimeAsync(10);
    watch.stop();
    expect([polls, statuses.at(-1)]).toEqual([2, "ok"]);
  });

  it("reports a refused token (401) on the next poll, not on the next post", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let refuse = false;
    server.use(
      http.get(`${API}/api/feed`, () =>
        refuse
          ? HttpResponse.json({ error: { code: "unauthorized", message: "Invalid token." } }, { status: 401 })
          : feedPage(),
      ),
    );
    const statuses: string[] = [];
    const watch = clientFor().watch(() => {}, {
      intervalMs: 1000,
      onStatus: (s) => statuses.push(s.ok ? "ok" : s.error.code),
    });
    await vi.advanceTimersByTimeAsync(10);
    refuse = true;
    await vi.advanceTimersByTimeAsync(1000);
    watch.stop();
    expect(statuses).toEqual(["ok", "unauthorized"]);
  });
});

/** A browser signal the test flips (a tab's visibility, the connection): its value, and a listener told of a change. */
function browserSignal(initial: boolean) {
  let value = initial;
  let notify = () => {};
  return {
    read: () => value,
    subscribe(listener: () => void) {
      notify = listener;
      return () => {};
    },
    set(next: boolean) {
      value = next;
      notify();
    },
  };
}
