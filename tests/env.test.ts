// Configuration: one validated read of the environment, every problem reported at once, safe local defaults.
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../lib/env.js";
import { ConfigError } from "../lib/errors.js";
import { withLocalDefaults } from "../scripts/local-defaults.js";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("loads with no variables outside production, marking what is not configured (it knows no dev defaults)", () => {
    const config = loadConfig({});
    expect(config.redis).toEqual({ kind: "memory" });
    expect(config.media).toMatchObject({ account: "none", folder: "feed" });
    expect(config.auth.kind).toBe("none");
    expect(config.feedTtlSeconds).toBe(3600);
  });

  it("gets the local media store and the dev sign-in from the dev server, only where nothing real is set", () => {
    const local = withLocalDefaults(loadConfig({}));
    expect(local.media).toMatchObject({
      account: "local",
      apiBase: "http://localhost:3000/_cloudinary",
      folder: "feed",
    });
    expect(local.auth.kind).toBe("dev");
    const real = loadConfig({ CLOUDINARY_URL: "cloudinary://k:s@cloud", AUTH_JWT_SECRET: "x".repeat(32) });
    expect(withLocalDefaults(real)).toEqual(real);
  });

  it("refuses to start in production without Redis, Cloudinary and auth, naming all three in one message", () => {
    const problems = problemsOf({ VERCEL_ENV: "production" });
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(
      /Redis is not configured[\s\S]*Cloudinary is not configured[\s\S]*Auth is not configured/,
    );
    expect(problemsOf({ NODE_ENV: "production" })).toHaveLength(3);
    // A preview deployment too: dev defaults there would mean forgeable tokens and a store per instance.
    expect(problemsOf({ VERCEL_ENV: "preview" })).toHaveLength(3);
    expect(problemsOf({ VERCEL_ENV: "development" })).toEqual([]);
  });

  it("collects every bad value instead of stopping at the first", () => {
    const problems = problemsOf({ REDIS_URL: "http://nope", FEED_TTL_SECONDS: "soon", AUTH_JWT_SECRET: "short" });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual(["AUTH_JWT_SECRET", "FEED_TTL_SECONDS", "REDIS_URL"]);
  });

  it("keeps a read limit generous: off, or at least 600 a minute", () => {
    expect(problemsOf({ RATE_LIMIT_READ_PER_MINUTE: "100" })).toEqual([
      "RATE_LIMIT_READ_PER_MINUTE: must be 0 (off) or at least 600",
    ]);
    expect(loadConfig({ RATE_LIMIT_READ_PER_MINUTE: "600" }).rateLimits.read).toBe(600);
  });

  it("treats empty values as unset", () => {
    expect(loadConfig({ REDIS_URL: "", FEED_TTL_SECONDS: "", CLOUDINARY_URL: "" }).redis).toEqual({ kind: "memory" });
  });

  it("prefers Upstash (or Vercel's KV_ names) over REDIS_URL, and reports a URL without its token", () => {
    expect(
      loadConfig({ KV_REST_API_URL: "https://x.upstash.io", KV_REST_API_TOKEN: "t", REDIS_URL: "redis://h:6379" })
        .redis,
    ).toEqual({
      kind: "upstash",
      url: "https://x.upstash.io",
      token: "t",
    });
    expect(loadConfig({ REDIS_URL: "rediss://user:pw@h:6380" }).redis).toEqual({
      kind: "tcp",
      url: "rediss://user:pw@h:6380",
    });
    expect(problemsOf({ UPSTASH_REDIS_REST_URL: "https://x.upstash.io" })).toEqual([
      "UPSTASH_REDIS_REST_TOKEN (or KV_REST_API_TOKEN) is missing",
    ]);
  });

  it("selects the cluster client with REDIS_CLUSTER=true, which needs REDIS_URL (any one node)", () => {
    expect(loadConfig({ REDIS_URL: "rediss://user:pw@node-1:6379", REDIS_CLUSTER: "true" }).redis).toEqual({
      kind: "cluster",
      url: "rediss://user:pw@node-1:6379",
    });
    expect(loadConfig({ REDIS_URL: "redis://h:6379", REDIS_CLUSTER: "false" }).redis.kind).toBe("tcp");
    expect(problemsOf({ REDIS_CLUSTER: "true" })).toEqual([
      "REDIS_CLUSTER is set but REDIS_URL (any one node) is missing",
    ]);
    expect(problemsOf({ REDIS_URL: "redis://h:6379", REDIS_CLUSTER: "yes" })[0]).toMatch(/^REDIS_CLUSTER:/);
  });

  it("reads CLOUDINARY_URL with the SDK's upload_prefix, or the three separate variables", () => {
    expect(
      loadConfig({ CLOUDINARY_URL: "cloudinary://k:s%40x@cloud?upload_prefix=http://127.0.0.1:9999/" }).media,
    ).toMatchObject({
      cloudName: "cloud",
      apiKey: "k",
      apiSecret: "s@x",
      apiBase: "http://127.0.0.1:9999",
      deliveryBase: "https://res.cloudinary.com",
      account: "cloudinary",
    });
    const separate = {
      CLOUDINARY_CLOUD_NAME: "c",
      CLOUDINARY_API_KEY: "k",
      CLOUDINARY_API_SECRET: "s",
      CLOUDINARY_FOLDER: "app/feed",
    };
    expect(loadConfig(separate).media).toMatchObject({
      cloudName: "c",
      apiBase: "https://api.cloudinary.com",
      folder: "app/feed",
    });
    expect(problemsOf({ CLOUDINARY_CLOUD_NAME: "c" })).toEqual([
      "Cloudinary is not configured: set CLOUDINARY_URL, or CLOUDINARY_API_KEY + CLOUDINARY_API_SECRET",
    ]);
    expect(problemsOf({ CLOUDINARY_FOLDER: "../etc" })[0]).toMatch(/^CLOUDINARY_FOLDER/);
  });

  it("takes a JWKS with issuer and audience, and refuses both auth methods at once", () => {
    expect(
      loadConfig({
        AUTH_JWKS_URL: "https://id.example/.well-known/jwks.json",
        AUTH_JWT_ISSUER: "i",
        AUTH_JWT_AUDIENCE: "a",
      }).auth,
    ).toEqual({
      kind: "jwks",
      jwksUrl: "https://id.example/.well-known/jwks.json",
      issuer: "i",
      audience: "a",
    });
    expect(problemsOf({ AUTH_JWKS_URL: "https://id.example/jwks", AUTH_JWT_SECRET: "x".repeat(32) })).toEqual([
      "set only one of AUTH_JWT_SECRET and AUTH_JWKS_URL",
    ]);
  });
});

describe("loadConfig: tokens, addresses and the dev server", () => {
  it("reads AUTH_MAX_TOKEN_AGE as seconds, and leaves it unset by default", () => {
    const maxAge = (value: string) => loadConfig({ AUTH_JWT_SECRET: "x".repeat(32), AUTH_MAX_TOKEN_AGE: value });
    expect(maxAge("24h").auth.maxTokenAgeSeconds).toBe(86_400);
    expect(maxAge("90m").auth.maxTokenAgeSeconds).toBe(5400);
    expect(maxAge("3600s").auth.maxTokenAgeSeconds).toBe(3600);
    expect(maxAge("7d").auth.maxTokenAgeSeconds).toBe(604_800);
    expect(loadConfig({}).auth.maxTokenAgeSeconds).toBeUndefined();
  });

  it.each(["24", "1.5h", "24 hours", "0s", "-5m", "1h30m", "01h", "1000000s"])(
    "refuses AUTH_MAX_TOKEN_AGE=%s with a clear message",
    (value) => {
      expect(problemsOf({ AUTH_MAX_TOKEN_AGE: value })).toEqual([
        "AUTH_MAX_TOKEN_AGE: must be a duration such as 3600s, 90m, 24h or 7d",
      ]);
    },
  );

  it("trusts proxy headers only on Vercel (VERCEL=1) or with TRUST_PROXY, which counts the proxies (true = 1)", () => {
    expect(loadConfig({}).proxy).toEqual({ kind: "none" });
    expect(loadConfig({ VERCEL: "1", TRUST_PROXY: "2" }).proxy).toEqual({ kind: "vercel" });
    expect(loadConfig({ TRUST_PROXY: "true" }).proxy).toEqual({ kind: "forwarded", hops: 1 });
    expect(loadConfig({ TRUST_PROXY: "1" }).proxy).toEqual({ kind: "forwarded", hops: 1 });
    expect(loadConfig({ TRUST_PROXY: "3" }).proxy).toEqual({ kind: "forwarded", hops: 3 });
    expect(loadConfig({ TRUST_PROXY: "false" }).proxy).toEqual({ kind: "none" });
    expect(loadConfig({ TRUST_PROXY: "0" }).proxy).toEqual({ kind: "none" });
    for (const value of ["yes", "10", "-1", "1.5"])
      expect(problemsOf({ TRUST_PROXY: value })[0]).toMatch(/^TRUST_PROXY:/);
  });

  it("binds the dev server to 127.0.0.1 unless HOST says otherwise, and reads DEV_SIGN_IN as on, off or unset", () => {
    expect(loadConfig({}).host).toBe("127.0.0.1");
    expect(loadConfig({ HOST: "0.0.0.0" }).host).toBe("0.0.0.0");
    expect(loadConfig({ HOST: "::" }).host).toBe("::");
    expect(problemsOf({ HOST: "http://0.0.0.0/" })[0]).toMatch(/^HOST: must be an address to listen on/);
    expect(loadConfig({}).devSignIn).toBeUndefined();
    expect(loadConfig({ DEV_SIGN_IN: "true" }).devSignIn).toBe(true);
    expect(loadConfig({ DEV_SIGN_IN: "0" }).devSignIn).toBe(false);
  });

  it("names every bad new setting in one message", () => {
    const problems = problemsOf({ AUTH_MAX_TOKEN_AGE: "soon", HOST: "a b", TRUST_PROXY: "maybe", DEV_SIGN_IN: "on" });
    expect(problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "AUTH_MAX_TOKEN_AGE",
      "DEV_SIGN_IN",
      "HOST",
      "TRUST_PROXY",
    ]);
  });
});

describe(".env.example", () => {
  it("copied as it is, is a valid local configuration", () => {
    const config = loadConfig(parseEnv(readFileSync(".env.example", "utf8")));
    expect(config.redis.kind).toBe("memory");
    expect(config.rateLimits).toEqual({ post: 10, read: 0 });
  });
});
