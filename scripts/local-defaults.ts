// What `npm run dev` (and the cleanup CLI run beside it) fill in when no accounts are configured, outside production:
// the local Cloudinary stand-in on the dev server's own origin, and the dev sign-in. Deployments never load this file.
import { randomBytes } from "node:crypto";
import type { AuthConfig, Config, MediaConfig } from "../lib/env.js";

// Dev sign-in tokens are signed with a secret made per process, so nobody can forge one from the source; they simply
// stop working when the dev server restarts (its in-process posts are gone then too).
const DEV_AUTH_SECRET = randomBytes(32).toString("base64url");
// The local media store's key pair signs only local files; a deployment refuses to start without real ones.
const LOCAL_ACCOUNT = { cloudName: "local", apiKey: "local-key", apiSecret: "local-media-secret-not-for-production" };

/** The configuration with the local stand-ins wherever nothing real is configured. */
export function withLocalDefaults(config: Config): Config {
  return { ...config, media: localMedia(config), auth: localAuth(config.auth) };
}

function localMedia(config: Config): MediaConfig {
  if (config.media.account !== "none") return config.media;
  // The dev server serves its Cloudinary stand-in on its own origin (scripts/local-cloudinary.ts).
  const base = `http://localhost:${config.port}/_cloudinary`;
  return { ...config.media, ...LOCAL_ACCOUNT, apiBase: base, deliveryBase: base, account: "local" };
}

function localAuth(auth: AuthConfig): AuthConfig {
  return auth.kind === "none"
    ? { kind: "dev", secret: DEV_AUTH_SECRET, maxTokenAgeSeconds: auth.maxTokenAgeSeconds }
    : auth;
}
