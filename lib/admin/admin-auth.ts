// Guards admin endpoints: one long shared ADMIN_TOKEN compared in constant time; disabled while it is unset or short.
import { createHash, timingSafeEqual } from "node:crypto";
import { bearerToken } from "../auth.js";
import { HttpError } from "../errors.js";

// A shorter shared secret could be guessed over HTTP; 32 random characters are far beyond that.
export const MIN_ADMIN_TOKEN_CHARS = 32;
// Enough of the token's hash to tell tokens apart in the audit log across a rotation, far too little to reveal it.
const TOKEN_ID_CHARS = 8;

/** Who called, for the audit log: the shared token cannot name a person, so its fingerprint and the address stand in. */
export interface AdminCaller {
  tokenId: string;
  address: string;
  userAgent: string | null;
}

const sha256 = (text: string): Buffer => createHash("sha256").update(text).digest();

/**
 * The caller, or a 503 (disabled), 401 (no token) or 403 (wrong token); never a 500. `address` is the caller's as the
 * HTTP edge read it (lib/http/client-address.ts): "unknown" without a trusted proxy, never one the caller made up.
 */
export function requireAdmin(request: Request, adminToken: string | undefined, address: string): AdminCaller {
  if (!adminToken || adminToken.length < MIN_ADMIN_TOKEN_CHARS) {
    throw new HttpError(
      "admin_disabled",
      `Admin endpoints are disabled: set ADMIN_TOKEN (at least ${MIN_ADMIN_TOKEN_CHARS} characters) to enable them.`,
    );
  }
  const token = bearerToken(request);
  if (!token) {
    throw new HttpError("unauthorized", "Send Authorization: Bearer <ADMIN_TOKEN>.", {
      "WWW-Authenticate": 'Bearer realm="admin"',
    });
  }
  // Comparing fixed-length hashes keeps the time independent of where, and whether by length, the tokens differ.
  const expected = sha256(adminToken);
  if (!timingSafeEqual(sha256(token), expected)) {
    throw new HttpError("forbidden", "This token may not use admin endpoints.");
  }
  return {
    tokenId: expected.toString("hex").slice(0, TOKEN_ID_CHARS),
    address,
    userAgent: request.headers.get("user-agent"),
  };
}
