// The local Cloudinary stand-in's delivery side: transformation URLs, video posters and byte ranges, all offline.
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export const CONTENT_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
  heic: "image/heic",
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  m4v: "video/mp4",
};
const IMAGE_EXTENSIONS = new Set(["jpg", "jpeg", "png", "gif", "webp", "avif"]);

// Any number of transformation segments (`f_auto,q_auto,c_limit,w_640/`) may stand before the version.
const DELIVERY_PATH = /^\/_cloudinary\/([^/]+)\/(image|video)\/upload\/((?:[^/]+\/)*?)v\d+\/(.+)\.([a-z0-9]+)$/;

// There is no transcoder here, so a poster (a video URL with an image extension) is this neutral 16:9 frame with a
// play mark instead of the video's first frame: the original video's bytes are not an image a browser could show.
const POSTER_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1280 720" width="1280" height="720">\
<rect width="1280" height="720" fill="#1f2937"/><circle cx="640" cy="360" r="96" fill="#374151"/>\
<path d="M610 300v120l100-60z" fill="#e5e7eb"/></svg>`;

export interface DeliveryRequest {
  cloud: string;
  type: "image" | "video";
  transformation: string;
  publicId: string;
  extension: string;
}

/** Reads `/_cloudinary/<cloud>/<type>/upload/[<transformations>/]v<version>/<public_id>.<ext>`; undefined otherwise. */
export function parseDeliveryPath(pathname: string): DeliveryRequest | undefined {
  const match = DELIVERY_PATH.exec(pathname);
  if (!match || match[4].split("/").includes("..")) return undefined;
  const [, cloud, type, segments, publicId, extension] = match;
  return {
    cloud,
    type: type as DeliveryRequest["type"],
    transformation: segments.replace(/\/$/, ""),
    publicId,
    extension,
  };
}

/**
 * Serves what Cloudinary would, as far as an offline copy can: the stored original for any transformation (the
 * transformation is not applied), the placeholder for a video's poster, and single byte ranges so videos seek.
 */
export async function serveDelivery(directory: string, wanted: DeliveryRequest, request: Request): Promise<Response> {
  const stored = await findStored(join(directory, wanted.type, wanted.publicId));
  if (!stored) return new Response("Not found", { status: 404 });
  if (wanted.type === "video" && IMAGE_EXTENSIONS.has(wanted.extension)) {
    return sendBytes(request, Buffer.from(POSTER_SVG), "image/svg+xml");
  }
  return sendBytes(request, await readFile(stored.path), CONTENT_TYPES[stored.extension] ?? "application/octet-stream");
}

/** The stored file for a public id, whatever its extension: a delivery URL may ask for another format. */
async function findStored(pathWithoutExtension: string): Promise<{ path: string; extension: string } | undefined> {
  const prefix = `${basename(pathWithoutExtension)}.`;
  const names = await readdir(dirname(pathWithoutExtension)).catch(() => [] as string[]);
  const name = names.find((entry) => entry.startsWith(prefix) && !entry.slice(prefix.length).includes("."));
  return name ? { path: join(dirname(pathWithoutExtension), name), extension: name.slice(prefix.length) } : undefined;
}

/** 200 with the whole body, 206 with one satisfiable range, 416 when the range lies past the end. */
export function sendBytes(request: Request, body: Uint8Array<ArrayBuffer>, contentType: string): Response {
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    "Cache-Control": "public, max-age=31536000, immutable",
    "Accept-Ranges": "bytes",
  };
  const range = parseRange(request.headers.get("Range"), body.length);
  if (range === "unsatisfiable") {
    return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${body.length}` } });
  }
  const [start, end] = range ?? [0, body.length - 1];
  const part = body.subarray(start, end + 1);
  headers["Content-Length"] = String(part.length);
  if (range) headers["Content-Range"] = `bytes ${start}-${end}/${body.length}`;
  return new Response(request.method === "HEAD" ? null : part, { status: range ? 206 : 200, headers });
}

/**
 * One `bytes=` range as inclusive [start, end], "unsatisfiable", or undefined to send everything: a missing,
 * malformed or multi-part Range header may be ignored (RFC 9110 §14.2), and browsers ask for one range at a time.
 */
export function parseRange(header: string | null, size: number): [number, number] | "unsatisfiable" | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    return suffix === 0 || size === 0 ? "unsatisfiable" : [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return "unsatisfiable";
  return end < start ? undefined : [start, end];
}
