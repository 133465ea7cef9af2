// Every error code the API answers with: its HTTP status and the message sent when the thrower has nothing more exact.
// The one place a status is written. It imports nothing, so domain code, the HTTP edge and the browser client (which
// derives its codes from it) can all read it.

export const ERROR_CODES = {
  invalid_request: { status: 400, message: "The request is not valid." },
  invalid_json: { status: 400, message: "The body is not valid JSON." },
  invalid_cursor: { status: 400, message: "The cursor is not one this API returned." },
  invalid_upload: { status: 400, message: "The upload's signature does not verify." },
  upload_expired: { status: 400, message: "This upload is too old to post; upload the file again." },
  unauthorized: { status: 401, message: "Send Authorization: Bearer <token>." },
  forbidden: { status: 403, message: "You may not do this." },
  upload_not_allowed: { status: 403, message: "This upload was not signed for you." },
  not_found: { status: 404, message: "No live post has this id." },
  method_not_allowed: { status: 405, message: "This method is not allowed here." },
  already_posted: { status: 409, message: "This upload has already been posted." },
  media_unknown: { status: 409, message: "This post's media is not known; delete it with the media cleanup." },
  upload_removed: { status: 410, message: "This upload's post was removed; it cannot be posted again." },
  payload_too_large: { status: 413, message: "The body is too large." },
  unsupported_media_type: { status: 415, message: "Send the body as application/json." },
  // Only the dev server answers it, to a Host header that is not its own.
  misdirected_request: { status: 421, message: "This server does not answer to this host." },
  rate_limited: { status: 429, message: "Too many requests; try again shortly." },
  internal_error: { status: 500, message: "Something went wrong." },
  not_configured: { status: 500, message: "The feed service is not configured." },
  service_unavailable: { status: 503, message: "The service is temporarily unavailable. Try again shortly." },
  admin_disabled: { status: 503, message: "Admin endpoints are disabled: set ADMIN_TOKEN to enable them." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
/** The statuses an error answer can have: hono types its status the same way, so a typo is a type error. */
export type ErrorStatus = (typeof ERROR_CODES)[ErrorCode]["status"];
