// The dev server's sign-in: the API's body rules, tokens that pass, and off by default against real services.
import { decodeJwt } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import { createApp, useApp } from "../../lib/app.js";
import { type EnvSource, loadConfig } from "../../lib/env.js";
import { MAX_BODY_BYTES } from "../../lib/http/json.js";
import type { Handler } from "../../lib/http/route.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { createDevSignIn, DEV_SIGN_IN_PATH } from "../../scripts/dev-sign-in.js";
import { withLocalDefaults } from "../../scripts/local-defaults.js";
import { jsonRequest } from "../support/test-app.js";

const REAL_REDIS = { REDIS_URL: "redis://127.0.0.1:6379" };
const REAL_CLOUDINARY = { CLOUDINARY_URL: "cloudinary://key:secret@cloud" };

/** The dev server's sign-in as `npm run dev` builds it from these variables (no network is touched). */
function devSignIn(env: EnvSource = {}) {
  const config = withLocalDefaults(loadConfig(env)); // as npm run dev does
  useApp(createApp(config, { store: new MemoryStore() }));
  return createDevSignIn(config);
}

function servedHandler(env: EnvSource = {}): Handler {
  const { handler } = devSignIn(env);
  if (!handler) throw new Error("expected the dev server to serve this route");
  return handler;
}

let signIn: Handler;
beforeEach(() => {
  signIn = servedHandler();
});

const post = (body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) =>
  signIn(new Request(`http://localhost${DEV_SIGN_IN_PATH}`, { method: "POST", headers, body }));

async function errorOf(response: Response) {
  return { status: response.status, code: (await response.json()).error.code };
}

describe("GET /api/dev/sign-in", () => {
  it("says the sign-in is on, and whether a stored token still verifies (a restart makes a new secret)", async () => {
    const get = (token?: string) => signIn(jsonRequest(DEV_SIGN_IN_PATH, "GET", undefined, token));
    expect(await (await get()).json()).toEqual({ enabled: true });
    const { token } = await (await post(JSON.stringify({ name: "Ada" }))).json();
    expect(await (await get(token)).json()).toEqual({ enabled: true, tokenValid: true });
    signIn = servedHandler(); // the same process: the secret, and so the token, still holds
    expect(await (await get(token)).json()).toEqual({ enabled: true, tokenValid: true });
    expect(await (await get(`${token}x`)).json()).toEqual({ enabled: true, tokenValid: false });
  });
});

describe("POST /api/dev/sign-in", () => {
  it("issues a token with exp that the API accepts, for the cleaned name", async () => {
    const response = await post(JSON.stringify({ name: "  Ada\u202E\u200B  " }));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const { token, user } = await response.json();
    expect(user).toMatchObject({ username: "Ada", userId: expect.stringMatching(/^dev-/) });
    expect(decodeJwt(token).exp).toBeGreaterThan(Date.now() / 1000);
    const signed = await uploadSignature.POST(
      jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, token),
    );
    expect(signed.status).toBe(200);
  });

  it("answers like the API to bodies it refuses: 415, 413 and 400 as JSON errors", async () => {
    expect(await errorOf(await post('{"name":"Ada"}', { "content-type": "text/plain" }))).toEqual({
      status: 415,
      code: "unsupported_media_type",
    });
    expect(await errorOf(await post(JSON.stringify({ name: "x".repeat(MAX_BODY_BYTES) })))).toEqual({
      status: 413,
      code: "payload_too_large",
    });
    expect(await errorOf(await post("{"))).toEqual({ status: 400, code: "invalid_json" });
    expect(await errorOf(await post(new Uint8Array([0x7b, 0xff, 0x7d])))).toEqual({
      status: 400,
      code: "invalid_json",
    });
    expect(await errorOf(await post(JSON.stringify({ name: "\u200B " })))).toEqual({
      status: 400,
      code: "invalid_request",
    });
  });

  it("tells the demo page it is on, and answers other methods with 405", async () => {
    const get = await signIn(new Request(`http://localhost${DEV_SIGN_IN_PATH}`));
    expect(await get.json()).toEqual({ enabled: true });
    const put = await signIn(new Request(`http://localhost${DEV_SIGN_IN_PATH}`, { method: "PUT" }));
    expect(put.status).toBe(405);
  });
});

describe("when the dev sign-in is offered", () => {
  it("is on with no variables, and with only one real service (a local Redis for load tests)", () => {
    expect(devSignIn().handler).toBeDefined();
    expect(devSignIn(REAL_REDIS).handler).toBeDefined();
    expect(devSignIn(REAL_CLOUDINARY).handler).toBeDefined();
  });

  it("is off, with one line saying why and how to enable it, against real Redis and real Cloudinary", () => {
    const refused = devSignIn({ ...REAL_REDIS, ...REAL_CLOUDINARY });
    expect(refused.handler).toBeUndefined();
    expect(refused.notice).toMatch(/real Redis and real Cloudinary.*DEV_SIGN_IN=true/);
    expect(refused.notice).not.toContain("\n");
    const upstash = { UPSTASH_REDIS_REST_URL: "https://x.upstash.io", UPSTASH_REDIS_REST_TOKEN: "t" };
    expect(devSignIn({ ...upstash, ...REAL_CLOUDINARY }).handler).toBeUndefined();
  });

  it("is on against real services with DEV_SIGN_IN=true, and off anywhere with DEV_SIGN_IN=false", () => {
    expect(devSignIn({ ...REAL_REDIS, ...REAL_CLOUDINARY, DEV_SIGN_IN: "true" }).handler).toBeDefined();
    const off = devSignIn({ DEV_SIGN_IN: "false" });
    expect(off.handler).toBeUndefined();
    expect(off.notice).toMatch(/DEV_SIGN_IN=true/);
  });

  it("sends people to the host app when real auth is configured", async () => {
    const handler = servedHandler({ AUTH_JWT_SECRET: "x".repeat(32) });
    const response = await handler(new Request(`http://localhost${DEV_SIGN_IN_PATH}`));
    expect(response.status).toBe(404);
    expect((await response.json()).error.message).toBe("Sign in through the host app.");
  });
});
