// The bytes of a request, strictly: bodies are UTF-8 JSON or refused, and a cursor is exactly what the API issued.
import { beforeEach, describe, expect, it } from "vitest";
import * as feed from "../../api/feed/index.js";
import { jsonRequest, publishAs, signedUpload, tokenFor, useTestApp } from "../support/test-app.js";

let ctx: ReturnType<typeof useTestApp>;
beforeEach(() => {
  ctx = useTestApp({ RATE_LIMIT: "off" });
});

interface Sending {
  contentType?: string;
  /** The bytes sent for the body's JSON text (by default its UTF-8). */
  bytes?: (json: string) => BodyInit;
}

/** Alice publishes a fresh upload of hers with `text`, the JSON sent as `bytes` makes it, under `contentType`. */
async function publish(text: string, { contentType = "application/json", bytes = (json) => json }: Sending = {}) {
  const token = await tokenFor("alice");
  const body = bytes(JSON.stringify({ text, upload: await signedUpload(ctx, token) }));
  const headers = { "content-type": contentType, authorization: `Bearer ${token}` };
  return feed.POST(new Request("http://localhost/api/feed", { method: "POST", headers, body }));
}

async function livePostCount(): Promise<number> {
  return (await (await feed.GET(jsonRequest("/api/feed?limit=100", "GET"))).json()).items.length;
}

describe("request bodies", () => {
  it("refuses a body that is not valid UTF-8 with 400, instead of storing U+FFFD", async () => {
    // é as the single Latin-1 byte 0xE9
    const latin1 = (json: string) => Uint8Array.from(json, (character) => character.charCodeAt(0));
    const response = await publish("café", { bytes: latin1 });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({ code: "invalid_json", message: "The body is not valid UTF-8." });
    // "/" as the overlong 0xC0 0xAF, which lenient decoders have been known to accept
    const overlong = (json: string) => {
      const [before, after] = json.split("SLASH").map((part) => new TextEncoder().encode(part));
      return new Uint8Array([...before, 0xc0, 0xaf, ...after]);
    };
    expect((await publish("SLASH", { bytes: overlong })).status).toBe(400);
    expect(await livePostCount()).toBe(0);
  });

  it.each(["application/json; charset=utf-8", 'application/json;charset="UTF-8"', "Application/JSON; Charset=utf8"])(
    "accepts a UTF-8 body declared as %s",
    async (contentType) => {
      const response = await publish("café ☕", { contentType });
      expect(response.status).toBe(201);
      expect((await response.json()).text).toBe("café ☕");
    },
  );

  it.each([
    "application/json; charset=iso-8859-1",
    'application/json; charset="utf-16"',
    "application/json; charset=",
    "application/json; charset=utf-8; charset=latin1",
  ])("refuses a body declared as %s with 415", async (contentType) => {
    const response = await publish("hi", { contentType });
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe("unsupported_media_type");
    expect(await livePostCount()).toBe(0);
  });
});

describe("cursors", () => {
  async function issuedCursor(): Promise<string> {
    for (const text of ["older", "newer"]) {
      expect((await publishAs(ctx, "alice", text)).status).toBe(201);
      ctx.clock.now += 1000;
    }
    const page = await (await feed.GET(jsonRequest("/api/feed?limit=1", "GET"))).json();
    return page.nextCursor;
  }
  const readWith = (cursor: string) =>
    feed.GET(jsonRequest(`/api/feed?limit=1&cursor=${encodeURIComponent(cursor)}`, "GET"));

  it("accepts the cursor exactly as the API issued it", async () => {
    const response = await readWith(await issuedCursor());
    expect(response.status).toBe(200);
    expect((await response.json()).items.map((post: { text: string }) => post.text)).toEqual(["older"]);
  });

  it.each<[string, (cursor: string) => string]>([
    ["padded", (cursor) => `${cursor}${"=".repeat(4 - (cursor.length % 4))}`],
    ["with junk after it", (cursor) => `${cursor}!!`],
    ["with spaces around it", (cursor) => ` ${cursor} `],
    ["with a line break inside", (cursor) => `${cursor.slice(0, 8)}\n${cursor.slice(8)}`],
  ])("refuses a cursor %s with 400 invalid_cursor", async (_, alter) => {
    const cursor = await issuedCursor();
    expect(alter(cursor)).not.toBe(cursor);
    const response = await readWith(alter(cursor));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_cursor");
  });

  it("refuses a cursor that decodes to the right shape but was never issued (a zero-padded score)", async () => {
    const [score, id] = Buffer.from(await issuedCursor(), "base64url")
      .toString()
      .split(".");
    const response = await readWith(Buffer.from(`0${score}.${id}`).toString("base64url"));
    expect((await response.json()).error.code).toBe("invalid_cursor");
  });
});
