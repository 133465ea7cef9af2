// The browser client retries only the publish step (idempotent on the server) after a 503 or no answer, within bounds.
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import * as fixtures from "../support/feed-client-fixtures.js";

const { API, CLOUDINARY_ANSWER, clientFor, makePost, photo, rejection, SIGNED_FIELDS, signing, UPLOAD_URL } = fixtures;

const server = fixtures.useClientServer();

/** Signs and uploads as usual, counting each request; publish answers from the script, one answer per request. */
function scriptPublish(...answers: (() => Response)[]) {
  const seen = { signatures: 0, uploads: 0, publishes: 0, publishBodies: [] as unknown[] };
  server.use(
    http.post(`${API}/api/feed/upload-signature`, () => {
      seen.signatures += 1;
      return HttpResponse.json({ uploadUrl: UPLOAD_URL, fields: SIGNED_FIELDS });
    }),
    http.post(UPLOAD_URL, () => {
      seen.uploads += 1;
      return HttpResponse.json(CLOUDINARY_ANSWER);
    }),
    http.post(`${API}/api/feed`, async ({ request }) => {
      seen.publishes += 1;
      seen.publishBodies.push(await request.json());
      const answer = answers.shift();
      if (!answer) throw new Error("one publish more than the script planned");
      return answer();
    }),
  );
  return seen;
}

const created = () => HttpResponse.json(makePost(), { status: 201 });
const noAnswer = () => HttpResponse.error();
const failure =
  (status: number, code: string, headers: Record<string, string> = {}) =>
  () =>
    HttpResponse.json({ error: { code, message: `The server said ${code}.` } }, { status, headers });
const unavailable = (retryAfter?: string) =>
  failure(503, "service_unavailable", retryAfter === undefined ? {} : { "Retry-After": retryAfter });

/** Lets the requests run (msw answers in-process) until the client sits in its pause between publish attempts. */
async function untilPausing(): Promise<void> {
  for (let turns = 0; vi.getTimerCount() === 0; turns += 1) {
    if (turns > 10_000) throw new Error("the client never paused before retrying");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const useFakeTimeouts = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });

describe("post retries the publish step", () => {
  it("retries the publish after a 503 and succeeds without uploading the file again", async () => {
    useFakeTimeouts();
    const seen = scriptPublish(unavailable(), created);
    const posting = clientFor().post(photo(), "Sunset");
    await untilPausing();
    await vi.advanceTimersByTimeAsync(1000);

    await expect(posting).resolves.toEqual(makePost());
    expect([seen.signatures, seen.uploads, seen.publishes]).toEqual([1, 1, 2]);
    expect(seen.publishBodies[1]).toEqual(seen.publishBodies[0]);
  });

  it("retries after a network error (no answer at all), again without a second upload", async () => {
    useFakeTimeouts();
    const seen = scriptPublish(noAnswer, created);
    const posting = clientFor().post(photo());
    await untilPausing();
    await vi.advanceTimersByTimeAsync(1000);

    await expect(posting).resolves.toEqual(makePost());
    expect([seen.signatures, seen.uploads, seen.publishes]).toEqual([1, 1, 2]);
  });

  it("waits as long as Retry-After asks before retrying", async () => {
    useFakeTimeouts();
    const seen = scriptPublish(unavailable("4"), created);
    const posting = clientFor().post(photo());
    await untilPausing();
    await vi.advanceTimersByTimeAsync(3999);
    expect([seen.publishes, vi.getTimerCount()]).toEqual([1, 1]);
    await vi.advanceTimersByTimeAsync(1);

    await expect(posting).resolves.toEqual(makePost());
    expect(seen.publishes).toBe(2);
  });

  it("backs off 1 s then 2 s without Retry-After, and gives up after 3 attempts with code unavailable", async () => {
    useFakeTimeouts();
    const seen = scriptPublish(unavailable(), unavailable(), unavailable());
    const posting = rejection(clientFor().post(photo()));
    await untilPausing();
    await vi.advanceTimersByTimeAsync(999);
    expect([seen.publishes, vi.getTimerCount()]).toEqual([1, 1]);
    await vi.advanceTimersByTimeAsync(1);
    await untilPausing();
    await vi.advanceTimersByTimeAsync(1999);
    expect([seen.publishes, vi.getTimerCount()]).toEqual([2, 1]);
    await vi.advanceTimersByTimeAsync(1);

    const error = await posting;
    expect([error.code, error.status, error.message]).toEqual([
      "unavailable",
      503,
      "The feed is briefly unavailable. Try again shortly.",
    ]);
    expect([seen.uploads, seen.publishes, vi.getTimerCount()]).toEqual([1, 3, 0]);
  });

  it("waits up to 10 s, but gives up at once when Retry-After asks for longer, passing the wait on", async () => {
    useFakeTimeouts();
    const seen = scriptPublish(unavailable("10"), unavailable("11"));
    const posting = rejection(clientFor().post(photo()));
    await untilPausing();
    await vi.advanceTimersByTimeAsync(10_000);

    const error = await posting;
    expect([error.code, error.retryAfterSeconds]).toEqual(["unavailable", 11]);
    expect([seen.publishes, vi.getTimerCount()]).toEqual([2, 0]);
  });

  it("stops waiting and rejects with code aborted as soon as the signal fires", async () => {
    useFakeTimeouts();
    const seen = scriptPublish(unavailable("5"));
    const controller = new AbortController();
    const posting = rejection(clientFor().post(photo(), "", { signal: controller.signal }));
    await untilPausing();
    controller.abort();

    // No fake time passes: the rejection comes from the abort, not from the end of the 5 s wait.
    const error = await posting;
    expect([error.code, error.message]).toEqual(["aborted", "The upload was cancelled."]);
    expect([seen.publishes, vi.getTimerCount()]).toEqual([1, 0]);
  });
});

describe("post answers that are final", () => {
  it("resolves with the stored post when publish answers 200, as it does for 201", async () => {
    const seen = scriptPublish(() => HttpResponse.json(makePost({ text: "Sunset" }), { status: 200 }));
    await expect(clientFor().post(photo(), "Sunset")).resolves.toEqual(makePost({ text: "Sunset" }));
    expect(seen.publishes).toBe(1);
  });

  it("does not retry a 410 and says the post was removed, with code upload_removed", async () => {
    const seen = scriptPublish(failure(410, "upload_removed"));
    const error = await rejection(clientFor().post(photo()));
    expect([error.code, error.status, error.message]).toEqual([
      "upload_removed",
      410,
      "This post was removed, so it can't be published again. Choose the file again to share it.",
    ]);
    expect([seen.uploads, seen.publishes]).toEqual([1, 1]);
  });

  it.each([
    [400, "invalid_upload"],
    [401, "unauthorized"],
    [403, "forbidden"],
    [409, "already_posted"],
    [413, "payload_too_large"],
    [415, "unsupported_media_type"],
    [429, "rate_limited"],
    [500, "internal_error"],
  ])("does not retry a %i answer (%s)", async (status, code) => {
    const seen = scriptPublish(failure(status, code, { "Retry-After": "1" }));
    const error = await rejection(clientFor().post(photo()));
    expect([error.status, seen.publishes]).toEqual([status, 1]);
  });

  it("does not retry the signature request or the upload", async () => {
    const signatures = vi.fn(failure(503, "service_unavailable", { "Retry-After": "1" }));
    server.use(http.post(`${API}/api/feed/upload-signature`, signatures));
    expect((await rejection(clientFor().post(photo()))).code).toBe("unavailable");
    expect(signatures).toHaveBeenCalledTimes(1);

    const uploads = vi.fn(() => HttpResponse.json({ error: { message: "busy" } }, { status: 503 }));
    server.use(signing(), http.post(UPLOAD_URL, uploads));
    expect((await rejection(clientFor().post(photo()))).code).toBe("unavailable");
    expect(uploads).toHaveBeenCalledTimes(1);
  });
});
