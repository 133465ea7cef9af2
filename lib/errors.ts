// The error types every layer may throw. This module imports only the code table, so storage, domain and config can use
// them without reaching the HTTP edge, which alone maps them to responses (lib/http/error-response.ts).
import { ERROR_CODES, type ErrorCode, type ErrorStatus } from "./error-codes.js";

/** An expected refusal: its status comes from the code's entry in ERROR_CODES, its message from there unless given. */
export class HttpError extends Error {
  readonly status: ErrorStatus;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
    this.status = ERROR_CODES[code].status;
  }
}

/** A backing service (Redis, Cloudinary, the JWKS endpoint) did not answer in time or refused: a 503, never a 500. */
export class ServiceUnavailableError extends Error {
  constructor(
    readonly service: "redis" | "cloudinary" | "auth",
    options?: { cause?: unknown },
  ) {
    super(`${service} is unavailable`, options);
    this.name = "ServiceUnavailableError";
  }
}

/** The configuration is missing or wrong: every problem, named, for the operator (clients get a generic 500). */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n- ${problems.join("\n- ")}`);
    this.name = "ConfigError";
  }
}
