// The HTTP edge's one mapping from any error to a JSON error response: known errors become theirs, anything else is
// logged with the request id and answered with a generic 500 (internal messages never leak).
import { ERROR_CODES, type ErrorCode } from "../error-codes.js";
import { ConfigError, HttpError, ServiceUnavailableError } from "../errors.js";
import { log } from "../log.js";
import type { ErrorBody } from "../schemas.js";

// Clients retry after this long when a backing service is down; long enough to not hammer it while it restarts.
export const RETRY_AFTER_SECONDS = 5;

/** The answer for `code`, with the status ERROR_CODES gives it (the only place a status is chosen). */
export function errorJson(
  code: ErrorCode,
  message: string = ERROR_CODES[code].message,
  headers: Record<string, string> = {},
): Response {
  const body: ErrorBody = { error: { code, message } };
  return Response.json(body, { status: ERROR_CODES[code].status, headers });
}

/** Known errors become their response; anything else is logged with the request id and answered with a generic 500. */
export function toErrorResponse(error: unknown, requestId: string): Response {
  if (error instanceof HttpError) return errorJson(error.code, error.message, error.headers);
  if (error instanceof ServiceUnavailableError) {
    logError(requestId, error);
    return errorJson("service_unavailable", undefined, { "Retry-After": String(RETRY_AFTER_SECONDS) });
  }
  if (error instanceof ConfigError) {
    // The operator reads the list in the logs; the client only learns that the deployment is not set up.
    log.error("not_configured", { requestId, error: error.message });
    return errorJson("not_configured");
  }
  logError(requestId, error);
  return errorJson("internal_error", `Something went wrong (request ${requestId}).`);
}

const MAX_LOGGED_CAUSE = 200;

function logError(requestId: string, error: unknown): void {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  log.error(error instanceof ServiceUnavailableError ? "service_unavailable" : "internal_error", {
    requestId,
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    // Client errors can quote whole commands (post JSON included): the first line's start says enough.
    cause: cause ? `${cause.name}: ${cause.message.split(", command was")[0].slice(0, MAX_LOGGED_CAUSE)}` : undefined,
    stack: error instanceof Error && !(error instanceof ServiceUnavailableError) ? error.stack : undefined,
  });
}
