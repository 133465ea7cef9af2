// A post's caption in the browser: counted as the server counts it and checked against the same limit, so the
// counter a page shows, the client's refusal and the server's agree.
import { MAX_TEXT_CHARS } from "../lib/content-limits.js";
import { FeedClientError } from "./feed-errors.js";

/** Characters as the server counts them (code points), so an emoji counts once. */
export function captionLength(text: string): number {
  return [...text].length;
}

/** Refuses a caption over the server's limit before anything is uploaded, with the length and limit as details. */
export function checkCaption(text: string): void {
  const length = captionLength(text);
  if (length > MAX_TEXT_CHARS) {
    throw new FeedClientError(
      "caption_too_long",
      `The caption is ${length} characters; the limit is ${MAX_TEXT_CHARS}.`,
      undefined,
      undefined,
      { length, limit: MAX_TEXT_CHARS },
    );
  }
}
