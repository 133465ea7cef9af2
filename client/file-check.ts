// Checks a file before anything is uploaded: what it is (by MIME type and by its bytes) and its size.

import type { MediaType } from "../lib/schemas.js";
import { FeedClientError } from "./feed-errors.js";
import {
  allowedFormatsText,
  describeOtherFormat,
  formatName,
  SNIFF_BYTES,
  type SniffedFormat,
  sniffFormat,
} from "./file-format.js";

/** What is read from a file: a `File` fits, and so does any object a test or a host app builds. */
export type FileInfo = Pick<File, "type" | "size">;
/** A file whose first bytes can be read: a `File` or `Blob`. */
export type ReadableFile = FileInfo & Pick<Blob, "slice">;

// Browsers leave the type empty (or generic) when the OS does not know the extension, e.g. HEIC on Windows.
const UNKNOWN_TYPES = new Set(["", "application/octet-stream"]);
const NOUNS: Record<MediaType, string> = { image: "photo", video: "video" };

export function mediaTypeOf(file: FileInfo): MediaType | undefined {
  if (file.type.startsWith("image/")) return "image";
  if (file.type.startsWith("video/")) return "video";
  return undefined;
}

/** The media type to sign the upload for, or a FeedClientError saying what is wrong with the file. */
export function checkFile(file: FileInfo, maxBytes: Record<MediaType, number>): MediaType {
  const mediaType = mediaTypeOf(file);
  if (!mediaType) throw notMedia(file);
  checkSize(file.size, mediaType, maxBytes);
  return mediaType;
}

/**
 * Like checkFile, but the file's first bytes decide what it is: a renamed PDF or a photo labelled as a video is
 * refused here, before any request, instead of by Cloudinary after the whole upload.
 */
export async function verifyFile(file: ReadableFile, maxBytes: Record<MediaType, number>): Promise<MediaType> {
  const claimed = mediaTypeOf(file);
  if (!claimed && !UNKNOWN_TYPES.has(file.type)) throw notMedia(file);
  if (file.size === 0) throw emptyFile();
  const bytes = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const found = sniffFormat(bytes);
  if (!found) throw unrecognised(file.type, describeOtherFormat(bytes));
  if (claimed && claimed !== found.mediaType) throw mismatch(file.type, found);
  checkSize(file.size, found.mediaType, maxBytes);
  return found.mediaType;
}

function checkSize(size: number, mediaType: MediaType, maxBytes: Record<MediaType, number>): void {
  if (size === 0) throw emptyFile();
  if (size > maxBytes[mediaType]) {
    const limit = maxBytes[mediaType];
    throw new FeedClientError(
      "file_too_large",
      `This ${NOUNS[mediaType]} is ${formatBytes(size)}; the limit is ${formatBytes(limit)}.`,
      undefined,
      undefined,
      { mediaType, size, limit },
    );
  }
}

function notMedia(file: FileInfo): FeedClientError {
  const kind = file.type ? ` (this file is ${file.type})` : "";
  const details = { reason: "not_media", type: file.type };
  return new FeedClientError("unsupported_file", `Choose a photo or a video${kind}.`, undefined, undefined, details);
}

const emptyFile = () => new FeedClientError("empty_file", "This file is empty.");

function unrecognised(type: string, other: { description: string; name: string } | undefined): FeedClientError {
  const claim = type ? `This file says it is ${type}, but its contents are` : "This file's contents are";
  const found = other ? `${other.description}, which can't be posted` : "not a photo or video format we accept";
  const details = { reason: "unrecognised", type, ...(other ? { found: other.name } : {}) };
  return new FeedClientError(
    "unsupported_file",
    `${claim} ${found}. ${allowedFormatsText()}`,
    undefined,
    undefined,
    details,
  );
}

function mismatch(type: string, found: SniffedFormat): FeedClientError {
  return new FeedClientError(
    "unsupported_file",
    `This file says it is ${type}, but it contains a ${NOUNS[found.mediaType]} (${formatName(found.format)}). ` +
      `Rename it to .${found.format} or choose another file.`,
    undefined,
    undefined,
    { reason: "mismatch", type, mediaType: found.mediaType, format: found.format, name: formatName(found.format) },
  );
}

export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  // Rounded up, so a file just over a limit never reads as equal to it ("10.1 MB", not "10.0 MB").
  if (mb >= 1) return `${Number.isInteger(mb) ? mb : (Math.ceil(mb * 10) / 10).toFixed(1)} MB`;
  return `${Math.ceil(bytes / 1024)} KB`;
}
