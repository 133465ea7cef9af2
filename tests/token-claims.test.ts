// Token claims through the real handlers: a lifetime is required, subjects are bounded, names are shown cleaned.
import { decodeJwt, type JWTPayload, SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import * as uploadSignature from "../api/feed/upload-signature.js";
import { jsonRequest, publishWithToken, TEST_ENV, tokenFor, useTestApp } from "./support/test-app.js";

const SECRET = new TextEncoder().encode(TEST_ENV.AUTH_JWT_SECRET);
const HOUR = 3600;
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** A token valid for the next hour, issued now. */
const fresh = () => ({ iat: nowSeconds(), exp: nowSeconds() + HOUR });

function tokenWith(claims: JWTPayload): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(SECRET);
}

/** The status of signing an upload with `token`: the first thing a client does with one. */
async function statusWith(token: string): Promise<number> {
  const body = { mediaType: "image" };
  return (await uploadSignature.POST(jsonRequest("/api/feed/upload-signature", "POST", body, token))).status;
}

let ctx: ReturnType<typeof useTestApp>;
beforeEach(() => {
  ctx = useTestApp({ RATE_LIMIT: "off" });
});

describe("token lifetime", () => {
  it("refuses a token without exp with 401, though its signature and subject are good", async () => {
    const response = await uploadSignature.POST(
      jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, await tokenWith({ sub: "alice" })),
    );
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe("unauthorized");
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await statusWith(await tokenWith({ sub: "alice", ...fresh() }))).toBe(200);
  });

  it("with AUTH_MAX_TOKEN_AGE, refuses a token issued longer ago, or without iat, however far off its exp", async () => {
    useTestApp({ RATE_LIMIT: "off", AUTH_MAX_TOKEN_AGE: "1h" });
    const farExp = nowSeconds() + 30 * 24 * HOUR;
    expect(await statusWith(await tokenWith({ sub: "alice", iat: nowSeconds() - HOUR - 60, exp: farExp }))).toBe(401);
    expect(await statusWith(await tokenWith({ sub: "alice", exp: farExp }))).toBe(401);
    expect(await statusWith(await tokenWith({ sub: "alice", iat: nowSeconds() - HOUR + 60, exp: farExp }))).toBe(200);
  });

  it("without AUTH_MAX_TOKEN_AGE lets exp alone decide: an old token that has not expired passes", async () => {
    const old = { iat: nowSeconds() - 48 * HOUR, exp: nowSeconds() + HOUR };
    expect(await statusWith(await tokenWith({ sub: "alice", ...old }))).toBe(200);
  });

  it("issues dev tokens with exp and iat, so they pass with AUTH_MAX_TOKEN_AGE on", async () => {
    useTestApp({ RATE_LIMIT: "off", AUTH_MAX_TOKEN_AGE: "90m" });
    const token = await tokenFor("alice");
    const { exp, iat } = decodeJwt(token);
    expect(iat).toBeCloseTo(nowSeconds(), -1);
    expect(exp).toBe((iat ?? 0) + 12 * HOUR);
    expect(await statusWith(token)).toBe(200);
  });
});

describe("subjects", () => {
  it.each<[string, unknown]>([
    ["empty", ""],
    ["257 characters long", "x".repeat(257)],
    ["holding a NUL", "alice\u0000"],
    ["holding a newline", "ali\nce"],
    ["holding a C1 control", "\u0085bob"],
    ["not a string", 42],
    // Each would be hashed as U+FFFD in UTF-8, so all three would share one upload folder.
    ["holding a lone high surrogate", "alice\uD800"],
    ["holding a lone low surrogate", "alice\uDC00"],
    ["holding a reversed pair", "alice\uDC00\uD800"],
  ])("refuses a subject %s with 401", async (_, sub) => {
    expect(await statusWith(await tokenWith({ sub, ...fresh() } as JWTPayload))).toBe(401);
  });

  it("accepts 256 characters, counting an emoji as one", async () => {
    expect(await statusWith(await tokenWith({ sub: "x".repeat(256), ...fresh() }))).toBe(200);
    expect(await statusWith(await tokenWith({ sub: "😀".repeat(256), ...fresh() }))).toBe(200);
  });
});

describe("usernames", () => {
  async function storedUsername(claims: JWTPayload): Promise<string> {
    const response = await publishWithToken(ctx, await tokenWith({ sub: "alice", ...fresh(), ...claims }), "hi");
    expect(response.status).toBe(201);
    return (await response.json()).username;
  }

  it.each([
    ["a right-to-left override", "\u202Egnp.exe\u202C", "gnp.exe"],
    ["zero-width characters and isolates", "Ada\u200B Love\u2066lace\u2069\u200F", "Ada Lovelace"],
    ["controls and surrounding spaces", "  Grace\u0007 Hopper\t ", "Grace Hopper"],
    ["70 emoji, cut to 64", "😀".repeat(70), "😀".repeat(64)],
    ["an emoji at the cut, never split", `${"a".repeat(63)}😀😀`, `${"a".repeat(63)}😀`],
    ["a space at the cut", `${"a".repeat(63)} b`, "a".repeat(63)],
    ["an Arabic letter mark and a soft hyphen", "\u061CAda\u00AD Love\u00ADlace", "Ada Lovelace"],
    ["Hangul fillers", "\u3164Ada\u115F\u1160\uFFA0", "Ada"],
    ["a combining grapheme joiner and a Mongolian vowel separator", "A\u034Fda\u180E", "Ada"],
    ["invisible operators (U+2061–U+2064)", "A\u2061d\u2062a\u2063\u2064", "Ada"],
    ["a blank braille pattern", "\u2800Ada\u2800", "Ada"],
    ["tag characters outside a flag", "Ada\u{E0041}\u{E0064}\u{E0061}\u{E007F}", "Ada"],
    ["lone surrogates", "A\uD800da\uDC00", "Ada"],
    ["joiners at the edges and in runs", "\u200DAda\u200C \u200DLove\u200D\u200Clace\u200D", "Ada Lovelace"],
    ["a joiner left last by the cut", `${"a".repeat(62)}👨\u200D👩`, `${"a".repeat(62)}👨`],
  ])("stores a name with %s cleaned", async (_, raw, expected) => {
    expect(await storedUsername({ username: raw })).toBe(expected);
  });

  it.each([
    ["an emoji ZWJ sequence", "👨\u200D👩\u200D👧 family"],
    ["a Persian word with a zero-width non-joiner", "می\u200Cخواهم"],
    ["a subdivision flag (tags after U+1F3F4)", "Ada 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"],
  ])("keeps %s intact", async (_, name) => {
    expect(await storedUsername({ username: name })).toBe(name);
  });

  it("takes the next name claim when one cleans to nothing, and anonymous when none is left", async () => {
    expect(await storedUsername({ username: "\u200B\u202E", preferred_username: "ada" })).toBe("ada");
    expect(await storedUsername({ username: "\u3164\u2800\u200D", name: "grace" })).toBe("grace");
    expect(await storedUsername({ name: "\u0007 \u200F" })).toBe("anonymous");
    expect(await storedUsername({ name: "\u115F\u00AD \u{E0041}\uD800" })).toBe("anonymous");
    expect(await storedUsername({})).toBe("anonymous");
  });
});
