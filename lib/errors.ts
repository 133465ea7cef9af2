// The error types every layer may throw. This module imports nothing, so storage, domain and config can use them
// without reaching the HTTP edge, which alone maps them to responses (lib/http/error-response.ts).

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
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
