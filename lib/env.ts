// The one module that reads the environment: validates every variable once and reports every problem together.
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { type Env, EnvSchema, isOn } from "./env-schema.js";
import { ConfigError } from "./errors.js";
import type { ProxyTrust } from "./http/client-address.js";
import type { LogLevel } from "./log.js";

export type EnvSource = Record<string, string | undefined>;

export type RedisConfig =
  | { kind: "upstash"; url: string; token: string }
  | { kind: "tcp"; url: string }
  | { kind: "cluster"; url: string }
  | { kind: "memory" };

export type AuthConfig = (
  | { kind: "secret"; secret: string; issuer?: string; audience?: string }
  | { kind: "jwks"; jwksUrl: string; issuer?: string; audience?: string }
  /** The dev server's name-only sign-in (scripts/local-defaults.ts); never read from the environment. */
  | { kind: "dev"; secret: string }
  /** Nothing configured outside production: requests that need a user answer 500 not_configured. */
  | { kind: "none" }
) & {
  /** Seconds after a token's `iat` when it is refused however far off its `exp` is; unset means `exp` alone decides. */
  maxTokenAgeSeconds?: number;
};

export interface MediaConfig {
  cloudName: string;
  apiKey: string;
  apiSecret: string;
  /** Base of the upload and Admin API (`https://api.cloudinary.com`, or the SDK's `upload_prefix`). */
  apiBase: string;
  /** Base of delivery URLs (`https://res.cloudinary.com`; the dev server's own media store locally). */
  deliveryBase: string;
  folder: string;
  /**
   * A Cloudinary account; the dev server's local stand-in (set by scripts/local-defaults.ts, never from the
   * environment); or none outside production, where signing and the Admin API answer 500 not_configured.
   */
  account: "cloudinary" | "local" | "none";
}

export interface Config {
  production: boolean;
  port: number;
  /** The local dev server's listening address. */
  host: string;
  /** Which forwarding headers name the caller: Vercel's, the proxies' TRUST_PROXY counts, or none (all ignored). */
  proxy: ProxyTrust;
  /** DEV_SIGN_IN as set: true forces the dev sign-in on, false off; unset lets the dev server decide. */
  devSignIn?: boolean;
  redis: RedisConfig;
  redisTimeoutMs: number;
  media: MediaConfig;
  auth: AuthConfig;
  feedTtlSeconds: number;
  readRequiresAuth: boolean;
  /** How long a CDN keeps a public page (at most: never past its next expiry), then may serve it stale. */
  cdn: { maxAgeSeconds: number; staleSeconds: number };
  adminToken?: string;
  /** Origins allowed to call the API from a browser; empty means same-origin only, "*" any origin. */
  corsOrigins: string[];
  /** Requests per minute; 0 turns a limit off. */
  rateLimits: RateLimits;
  /** The least level logged (lib/log.ts): debug adds a line per request. */
  logLevel: LogLevel;
}

export interface RateLimits {
  /** Posts per user, charged when an upload is signed (before the file is sent), so a refusal costs no upload. */
  post: number;
  read: number;
}

/** process.env over `.env.local` over `.env` (files only for local runs; Vercel injects variables directly). */
export function readEnvironment(cwd = process.cwd()): EnvSource {
  const fromFiles: EnvSource = {};
  for (const file of [".env", ".env.local"]) {
    const path = `${cwd}/${file}`;
    if (existsSync(path)) Object.assign(fromFiles, parseEnv(readFileSync(path, "utf8")));
  }
  return { ...fromFiles, ...process.env };
}

/** What a host app hands the feed itself (lib/host/), so the environment need not configure it, even in production. */
export interface HostProvided {
  redis?: boolean;
  auth?: boolean;
}

export function loadConfig(source: EnvSource = readEnvironment(), provided: HostProvided = {}): Config {
  // Empty strings count as unset, so `FOO=` in a .env file does not become a bad value.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const env = parsed.data;
  // Preview deployments count too: dev defaults there would mean forgeable tokens and a per-instance store.
  const production = env.VERCEL_ENV === "production" || env.VERCEL_ENV === "preview" || env.NODE_ENV === "production";
  const problems: string[] = [];
  const config: Config = {
    production,
    port: env.PORT,
    host: env.HOST,
    proxy: readProxyTrust(env),
    devSignIn: env.DEV_SIGN_IN === undefined ? undefined : isOn(env.DEV_SIGN_IN),
    redis: readRedis(env, production && !provided.redis, problems),
    redisTimeoutMs: env.REDIS_TIMEOUT_MS,
    media: readMedia(env, production, problems),
    auth: readAuth(env, production && !provided.auth, problems),
    feedTtlSeconds: env.FEED_TTL_SECONDS,
    readRequiresAuth: isOn(env.FEED_READ_REQUIRES_AUTH),
    cdn: { maxAgeSeconds: env.FEED_CDN_MAX_AGE_SECONDS, staleSeconds: env.FEED_CDN_STALE_SECONDS },
    adminToken: env.ADMIN_TOKEN,
    corsOrigins: env.CORS_ORIGINS,
    rateLimits:
      env.RATE_LIMIT === "off"
        ? { post: 0, read: 0 }
        : {
            post: env.RATE_LIMIT_POST_PER_MINUTE,
            read: env.RATE_LIMIT_READ_PER_MINUTE,
          },
    logLevel: env.LOG_LEVEL,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function readProxyTrust(env: Env): ProxyTrust {
  if (env.VERCEL === "1") return { kind: "vercel" };
  return env.TRUST_PROXY ? { kind: "forwarded", hops: env.TRUST_PROXY } : { kind: "none" };
}

function readRedis(env: Env, production: boolean, problems: string[]): RedisConfig {
  const restUrl = env.UPSTASH_REDIS_REST_URL ?? env.KV_REST_API_URL;
  const restToken = env.UPSTASH_REDIS_REST_TOKEN ?? env.KV_REST_API_TOKEN;
  if (restUrl || restToken) {
    if (restUrl && restToken) return { kind: "upstash", url: restUrl, token: restToken };
    problems.push(
      restUrl
        ? "UPSTASH_REDIS_REST_TOKEN (or KV_REST_API_TOKEN) is missing"
        : "UPSTASH_REDIS_REST_URL (or KV_REST_API_URL) is missing",
    );
    return { kind: "memory" };
  }
  const cluster = isOn(env.REDIS_CLUSTER);
  if (cluster && !env.REDIS_URL) problems.push("REDIS_CLUSTER is set but REDIS_URL (any one node) is missing");
  if (env.REDIS_URL) return { kind: cluster ? "cluster" : "tcp", url: env.REDIS_URL };
  if (production)
    problems.push("Redis is not configured: set UPSTASH_REDIS_REST_URL + UPSTASH_REDIS_REST_TOKEN or REDIS_URL");
  return { kind: "memory" };
}

function readMedia(env: Env, production: boolean, problems: string[]): MediaConfig {
  const base = {
    apiBase: "https://api.cloudinary.com",
    deliveryBase: "https://res.cloudinary.com",
    folder: env.CLOUDINARY_FOLDER,
    account: "cloudinary" as const,
  };
  if (env.CLOUDINARY_URL) {
    const parsed = new URL(env.CLOUDINARY_URL);
    const uploadPrefix = parsed.searchParams.get("upload_prefix");
    const media = {
      ...base,
      cloudName: decodeURIComponent(parsed.hostname),
      apiKey: decodeURIComponent(parsed.username),
      apiSecret: decodeURIComponent(parsed.password),
      apiBase: uploadPrefix ? uploadPrefix.replace(/\/+$/, "") : base.apiBase,
    };
    if (!media.cloudName || !media.apiKey || !media.apiSecret) {
      problems.push("CLOUDINARY_URL must look like cloudinary://<api_key>:<api_secret>@<cloud_name>");
    }
    return media;
  }
  const { CLOUDINARY_CLOUD_NAME: cloudName, CLOUDINARY_API_KEY: apiKey, CLOUDINARY_API_SECRET: apiSecret } = env;
  if (cloudName && apiKey && apiSecret) return { ...base, cloudName, apiKey, apiSecret };
  if (cloudName || apiKey || apiSecret || production) {
    const missing = Object.entries({
      CLOUDINARY_CLOUD_NAME: cloudName,
      CLOUDINARY_API_KEY: apiKey,
      CLOUDINARY_API_SECRET: apiSecret,
    })
      .filter(([, value]) => !value)
      .map(([name]) => name);
    problems.push(`Cloudinary is not configured: set CLOUDINARY_URL, or ${missing.join(" + ")}`);
  }
  // Outside production this is allowed: `npm run dev` fills in its local stand-in (scripts/local-defaults.ts).
  return { ...base, cloudName: "", apiKey: "", apiSecret: "", account: "none" };
}

function readAuth(env: Env, production: boolean, problems: string[]): AuthConfig {
  const claims = { issuer: env.AUTH_JWT_ISSUER, audience: env.AUTH_JWT_AUDIENCE };
  const maxAge = { maxTokenAgeSeconds: env.AUTH_MAX_TOKEN_AGE };
  if (env.AUTH_JWT_SECRET && env.AUTH_JWKS_URL) problems.push("set only one of AUTH_JWT_SECRET and AUTH_JWKS_URL");
  if (env.AUTH_JWT_SECRET) return { kind: "secret", secret: env.AUTH_JWT_SECRET, ...claims, ...maxAge };
  if (env.AUTH_JWKS_URL) return { kind: "jwks", jwksUrl: env.AUTH_JWKS_URL, ...claims, ...maxAge };
  if (production) problems.push("Auth is not configured: set AUTH_JWT_SECRET (HS256) or AUTH_JWKS_URL");
  return { kind: "none", ...maxAge };
}
