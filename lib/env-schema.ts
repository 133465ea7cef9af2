// The variables the feed reads and how each one is validated; lib/env.ts applies the schema and builds the Config.
import { z } from "zod";
import { DEFAULT_TTL_SECONDS } from "./content-limits.js";
import { parseDurationSeconds } from "./duration.js";
import { LOG_LEVELS } from "./log.js";

const optional = z.string().optional();
const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((value) => protocols.includes(new URL(value).protocol), `must start with ${protocols.join(" or ")}//`)
    .optional();
const flag = z.enum(["true", "false", "1", "0"]).optional();
const perMinute = (fallback: number) => z.coerce.number().int().min(0).max(100_000).default(fallback);
export const isOn = (value: string | undefined) => value === "true" || value === "1";
// A whole number and one unit, turned into seconds: nothing like "1.5 hours" left for jose to interpret. As this has
// always been read, the number has at most six digits and no leading zero, so it is never 0.
const duration = z
  .string()
  .transform((value, ctx) => {
    const seconds = value.length <= 7 && !value.startsWith("0") ? parseDurationSeconds(value) : undefined;
    if (seconds !== undefined) return seconds;
    ctx.addIssue({ code: "custom", message: "must be a duration such as 3600s, 90m, 24h or 7d" });
    return z.NEVER;
  })
  .optional();

export const EnvSchema = z.object({
  NODE_ENV: optional,
  VERCEL_ENV: optional,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // Loopback by default: the dev server's sign-in lets anyone who reaches it post as anyone.
  HOST: z
    .string()
    .regex(/^[A-Za-z0-9.:-]+$/, "must be an address to listen on, such as 127.0.0.1, 0.0.0.0 or ::")
    .default("127.0.0.1"),
  // debug adds a line per request; info (the default) logs writes, audits, warnings and errors (lib/log.ts).
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  // Vercel sets VERCEL=1; its edge overwrites the forwarding headers, so they can be trusted there.
  VERCEL: optional,
  // How many proxies in front append to X-Forwarded-For (true = 1): the client is that many entries from the right.
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|[0-9])$/, "must be true, false, or how many proxies append to X-Forwarded-For (0-9)")
    .transform((value) => (value === "true" ? 1 : value === "false" ? 0 : Number(value)))
    .optional(),
  DEV_SIGN_IN: flag,
  UPSTASH_REDIS_REST_URL: url(["https:", "http:"]),
  UPSTASH_REDIS_REST_TOKEN: optional,
  KV_REST_API_URL: url(["https:", "http:"]),
  KV_REST_API_TOKEN: optional,
  REDIS_URL: url(["redis:", "rediss:"]),
  REDIS_CLUSTER: flag,
  REDIS_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(2000),
  CLOUDINARY_URL: url(["cloudinary:"]),
  CLOUDINARY_CLOUD_NAME: optional,
  CLOUDINARY_API_KEY: optional,
  CLOUDINARY_API_SECRET: optional,
  CLOUDINARY_FOLDER: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, "must be a folder path such as feed or app/feed")
    .default("feed"),
  FEED_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(DEFAULT_TTL_SECONDS),
  FEED_READ_REQUIRES_AUTH: flag,
  // A CDN keeps a public page at most this long, and serves it stale at most this much longer while it refetches
  // (lib/http/page-cache.ts): 6 + 4 s is as stale as the former 2 + 8 s, with a third of the revalidations.
  FEED_CDN_MAX_AGE_SECONDS: z.coerce.number().int().min(1).max(300).default(6),
  FEED_CDN_STALE_SECONDS: z.coerce.number().int().min(0).max(300).default(4),
  ADMIN_TOKEN: optional,
  CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim().replace(/\/+$/, ""))
        .filter(Boolean),
    )
    .refine(
      (origins) => origins.every((o) => o === "*" || /^https?:\/\/[^/\s]+$/.test(o)),
      "must be * or origins like https://app.example.com",
    )
    .default([]),
  RATE_LIMIT: z.enum(["on", "off"]).default("on"),
  RATE_LIMIT_POST_PER_MINUTE: perMinute(10),
  // Reads are cheap and mostly served by the CDN: a read limit is off (0) or generous.
  RATE_LIMIT_READ_PER_MINUTE: perMinute(0).refine((n) => n === 0 || n >= 600, "must be 0 (off) or at least 600"),
  AUTH_JWT_SECRET: z.string().min(32, "must be at least 32 characters (HS256 key)").optional(),
  AUTH_JWKS_URL: url(["https:", "http:"]),
  AUTH_JWT_ISSUER: optional,
  AUTH_JWT_AUDIENCE: optional,
  AUTH_MAX_TOKEN_AGE: duration,
});
export type Env = z.infer<typeof EnvSchema>;
