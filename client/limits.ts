// Limits the browser checks before uploading, so people learn of a problem before they wait for an upload.
import { MAX_MEDIA_BYTES, MAX_TEXT_CHARS } from "../lib/limits.js";
import type { MediaType } from "../lib/schemas.js";

// From lib/limits.ts, not lib/schemas.ts: importing a value from the schemas would bundle zod (+94 KB gzipped).
export const MAX_CAPTION_CHARS = MAX_TEXT_CHARS;
export const DEFAULT_MAX_BYTES: Record<MediaType, number> = MAX_MEDIA_BYTES;

// The server's default FEED_TTL_SECONDS: posts vanish an hour after they are created.
export const DEFAULT_TTL_SECONDS = 3600;

/** Characters as the server counts them (code points), so an emoji counts once. */
export function captionLength(text: string): number {
  return [...text].length;
}
