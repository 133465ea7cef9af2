// Identity: the host app's JWT, HS256 or JWKS, with algorithms pinned; anything doubtful is a 401.
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenVerifier } from "../lib/auth.js";
import { HttpError, ServiceUnavailableError } from "../lib/errors.js";

const SECRET = "a-test-secret-of-at-least-32-characters";
const key = new TextEncoder().encode(SECRET);
const verifyHs = createTokenVerifier({ kind: "secret", secret: SECRET, issuer: "host-app" });

const hsToken = (claims: Record<string, unknown>, expires = "1h") =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("host-app")
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(key);

async function statusOf(promise: Promise<unknown>): Promise<number | string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    if (error instanceof ServiceUnavailableError) return 503;
    throw error;
  }
}

describe("HS256 tokens", () => {
  it("takes the user id from sub and the name from username, preferred_username or name", async () => {
    expect(await verifyHs(await hsToken({ sub: "u1", preferred_username: "ada" }))).toEqual({
      userId: "u1",
      username: "ada",
    });
    expect(await verifyHs(await hsToken({ sub: "u2", name: "Grace\u0007 Hopper" }))).toEqual({
      userId: "u2",
      username: "Grace Hopper",
    });
  });

  it("refuses expired, wrongly signed, unsigned, sub-less and wrong-issuer tokens with 401", async () => {
    const expired = await new SignJWT({ sub: "u" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("host-app")
      .setExpirationTime(1)
      .sign(key);
    const wrongKey = await new SignJWT({ sub: "u" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("host-app")
      .sign(new TextEncoder().encode("x".repeat(40)));
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString("base64url");
    const unsigned = `${encode({ alg: "none" })}.${encode({ sub: "u", iss: "host-app" })}.`;
    const noSub = await hsToken({ username: "x" });
    const otherIssuer = await new SignJWT({ sub: "u" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("elsewhere")
      .sign(key);
    for (const token of [expired, wrongKey, unsigned, noSub, otherIssuer, "garbage"])
      expect(await statusOf(verifyHs(token))).toBe(401);
  });
});

describe("JWKS tokens", () => {
  const JWKS_URL = "https://id.example.test/.well-known/jwks.json";
  let privateKey: CryptoKey;
  let available = true;
  const server = setupServer(
    http.get(JWKS_URL, async () => {
      if (!available) return HttpResponse.error();
      const pair = await keys;
      return HttpResponse.json({
        keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" }],
      });
    }),
  );
  const keys = generateKeyPair("RS256");
  beforeAll(async () => {
    privateKey = (await keys).privateKey;
    server.listen({ onUnhandledRequest: "error" });
  });
  afterAll(() => server.close());

  it("verifies RS256 tokens against the key set and refuses an HS256 token signed with anything", async () => {
    const verify = createTokenVerifier({ kind: "jwks", jwksUrl: JWKS_URL, audience: "feed" });
    const good = await new SignJWT({ sub: "u1", username: "ada" })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setAudience("feed")
      .setExpirationTime("1h")
      .sign(privateKey);
    expect(await verify(good)).toEqual({ userId: "u1", username: "ada" });
    const wrongAudience = await new SignJWT({ sub: "u1" })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setAudience("other")
      .sign(privateKey);
    expect(await statusOf(verify(wrongAudience))).toBe(401);
    const hs = await new SignJWT({ sub: "u1" })
      .setProtectedHeader({ alg: "HS256", kid: "k1" })
      .setAudience("feed")
      .sign(key);
    expect(await statusOf(verify(hs))).toBe(401);
  });

  it("answers 503, not 401, when the key set endpoint answers with an error", async () => {
    server.use(http.get(JWKS_URL, () => new HttpResponse("upstream down", { status: 500 })));
    const verify = createTokenVerifier({ kind: "jwks", jwksUrl: JWKS_URL });
    const token = await new SignJWT({ sub: "u1" }).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(privateKey);
    expect(await statusOf(verify(token))).toBe(503);
    server.resetHandlers();
  });

  it("answers 503, not 401, when the key set cannot be fetched", async () => {
    available = false;
    const verify = createTokenVerifier({ kind: "jwks", jwksUrl: JWKS_URL });
    const token = await new SignJWT({ sub: "u1" }).setProtectedHeader({ alg: "RS256", kid: "k1" }).sign(privateKey);
    expect(await statusOf(verify(token))).toBe(503);
    available = true;
  });
});
