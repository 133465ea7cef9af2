// Checks a file and caption before anything is uploaded: media type by MIME type, size against the plan's limits.
import type { MediaType } from "../lib/schemas.js";
import { FeedClientError } from "./feed-errors.js";
import { captionLength, MAX_CAPTION_CHARS } from "./limits.js";

/** What is read from a file: a `File` fits, and so does any object a test or a host app builds. */
export type FileInfo = Pick<File, "type" | "size">;

export function mediaTypeOf(file: FileInfo): MediaType | undefined {
  if (file.type.startsWith("image/")) return "image";
  if (file.type.startsWith("video/")) return "video";
  return undefined;
}

/** The media type to sign the upload for, or a FeedClientError saying what is wrong with the file. */
export function checkFile(file: FileInfo, maxBytes: Record<MediaType, number>): MediaType {
  const mediaType = mediaTypeOf(file);
  if (!mediaType) {
    const kind = file.type ? ` (this file is ${file.type})` : "";
    throw new FeedClientError("unsupported_file", `Choose a photo or a video${kind}.`);
  }
  if (file.size === 0) throw new FeedClientError("empty_file", "This file is empty.");
  if (file.size > maxBytes[mediaType]) {
    const noun = mediaType === "image" ? "photo" : "video";
    throw new FeedClientError(
      "file_too_large",
      `This ${noun} is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes[mediaType])}.`,
    );
  }
  return mediaType;
}

export function checkCaption(text: string): void {
  const length = captionLength(text);
  if (length > MAX_CAPTION_CHARS) {
    throw new FeedClientError(
      "caption_too_long",
      `The caption is ${length} characters; the limit is ${MAX_CAPTION_CHARS}.`,
    );
  }
}

export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  // Rounded up, so a file just over a limit never reads as equal to it ("10.1 MB", not "10.0 MB").
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : (Math.ceil(mb * 10) / 10).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}
