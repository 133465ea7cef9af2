// Who is calling: verifies the host app's JWT (HS256 secret or a JWKS), and issues dev tokens when no auth is set up.
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import { cleanUsername } from "./display-name.js";
import type { AuthConfig } from "./env.js";
import { ConfigError, HttpError, ServiceUnavailableError } from "./errors.js";

export interface Identity {
  userId: string;
  username: string;
}
export type VerifyToken = (token: string) => Promise<Identity>;

// Asymmetric algorithms only for JWKS, so a public key can never be used as an HMAC secret.
const JWKS_ALGORITHMS = ["RS256", "ES256"];
// A token without `exp` would be valid forever: one leak would then last as long as the signing key.
const REQUIRED_CLAIMS = ["exp"];
// Hosts' clocks drift by seconds: without this slack a fresh token's `iat` can look "in the future" to us.
const CLOCK_TOLERANCE_SECONDS = 5;
// Ids go into hashes, keys and logs; 256 fits any real identity provider's subject with room to spare.
const MAX_SUBJECT_CHARS = 256;
// What a token with no usable name claim is shown as (and has always been).
const FALLBACK_USERNAME = "anonymous";
// Controls, and lone surrogates: UTF-8 encodes every lone surrogate as U+FFFD, so subjects differing only there
// would hash to one upload folder and one rate-limit counter.
const UNUSABLE_IN_SUBJECT = /[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDFFF]/u;
// Dev sign-ins last a working day; they only exist where no real auth is configured.
const DEV_TOKEN_LIFETIME = "12h";

export function createTokenVerifier(auth: AuthConfig): VerifyToken {
  if (auth.kind === "none") return notConfigured;
  const claims = {
    ...(auth.kind === "dev" ? {} : { issuer: auth.issuer, audience: auth.audience }),
    requiredClaims: REQUIRED_CLAIMS,
    // jose measures the age from `iat` and refuses a token without one while this is set.
    maxTokenAge: auth.maxTokenAgeSeconds,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };
  let verify: (token: string) => Promise<{ payload: JWTPayload }>;
  if (auth.kind === "jwks") {
    // Created once: the key set is cached and refetched only for unknown key ids.
    const keys = createRemoteJWKSet(new URL(auth.jwksUrl), { timeoutDuration: 3000 });
    verify = (token) => jwtVerify(token, keys, { algorithms: JWKS_ALGORITHMS, ...claims });
  } else {
    const secret = new TextEncoder().encode(auth.secret);
    verify = (token) => jwtVerify(token, secret, { algorithms: ["HS256"], ...claims });
  }
  return async (token) => {
    try {
      const { payload } = await verify(token);
      return identityFrom(payload);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // The key set could not be fetched (timeout, network, or an answer other than 200): not the token's fault.
      const keySetDown = error instanceof errors.JOSEError && error.code === errors.JOSEError.code;
      if (auth.kind === "jwks" && (error instanceof errors.JWKSTimeout || error instanceof TypeError || keySetDown)) {
        throw new ServiceUnavailableError("auth", { cause: error });
      }
      throw unauthorized("The token is invalid or expired.");
    }
  };
}

/** No auth configured (a local run outside `npm run dev`): the operator reads why in the log; clients get a 500. */
async function notConfigured(): Promise<Identity> {
  throw new ConfigError([
    "Auth is not configured: set AUTH_JWT_SECRET or AUTH_JWKS_URL (npm run dev offers a dev sign-in)",
  ]);
}

/** The identity a token (or a host's own user lookup) names, or a 401: one set of rules for ids and names. */
export function identityFrom(payload: JWTPayload): Identity {
  const { sub } = payload;
  const subjectOk =
    typeof sub === "string" && !UNUSABLE_IN_SUBJECT.test(sub) && isLengthBetween(sub, 1, MAX_SUBJECT_CHARS);
  if (!subjectOk) throw unauthorized("The token has no usable subject.");
  // The first name claim with something left once cleaned; one that cleans to nothing counts as absent.
  const username = [payload.username, payload.preferred_username, payload.name]
    .map((claim) => (typeof claim === "string" ? cleanUsername(claim) : ""))
    .find((name) => name !== "");
  return { userId: sub, username: username ?? FALLBACK_USERNAME };
}

function isLengthBetween(text: string, min: number, max: number): boolean {
  const codePoints = Array.from(text).length;
  return codePoints >= min && codePoints <= max;
}

export function unauthorized(message: string): HttpError {
  return new HttpError("unauthorized", message, { "WWW-Authenticate": 'Bearer realm="feed"' });
}

export function bearerToken(request: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "");
  return match?.[1];
}

/** The caller's identity, or a 401 when there is no valid bearer token. */
export async function authenticate(request: Request, verify: VerifyToken): Promise<Identity> {
  const token = bearerToken(request);
  if (!token) throw unauthorized("Send Authorization: Bearer <token>.");
  return verify(token);
}

/** A token for the dev sign-in: only callable where auth.kind is "dev" (never in production). */
export function issueDevToken(secret: string, identity: Identity): Promise<string> {
  return new SignJWT({ username: identity.username })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(identity.userId)
    .setIssuedAt()
    .setExpirationTime(DEV_TOKEN_LIFETIME)
    .sign(new TextEncoder().encode(secret));
}
