// Who is calling: verifies the host app's JWT (HS256 secret or a JWKS), and issues dev tokens when no auth is set up.
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { AuthConfig } from "./env.js";
import { HttpError, ServiceUnavailableError } from "./errors.js";

export interface Identity {
  userId: string;
  username: string;
}
export type VerifyToken = (token: string) => Promise<Identity>;

// Asymmetric algorithms only for JWKS, so a public key can never be used as an HMAC secret.
const JWKS_ALGORITHMS = ["RS256", "ES256"];
const MAX_USERNAME_CHARS = 64;
// Dev sign-ins last a working day; they only exist where no real auth is configured.
const DEV_TOKEN_LIFETIME = "12h";

export function createTokenVerifier(auth: AuthConfig): VerifyToken {
  const claims = auth.kind === "dev" ? {} : { issuer: auth.issuer, audience: auth.audience };
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

function identityFrom(payload: JWTPayload): Identity {
  if (typeof payload.sub !== "string" || payload.sub === "") throw unauthorized("The token has no subject.");
  const name = [payload.username, payload.preferred_username, payload.name].find(
    (value): value is string => typeof value === "string" && value.trim() !== "",
  );
  const username = (name ?? "anonymous")
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, "")
    .trim()
    .slice(0, MAX_USERNAME_CHARS);
  return { userId: payload.sub, username: username || "anonymous" };
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, "unauthorized", message, { "WWW-Authenticate": 'Bearer realm="feed"' });
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
