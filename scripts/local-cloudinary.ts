// A local stand-in for Cloudinary's upload and delivery endpoints, so `npm run dev` works offline with no account.
// It checks the upload signature exactly as Cloudinary does, so the same server code signs and verifies.
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { v2 as cloudinary } from "cloudinary";
import type { MediaConfig } from "../lib/env.js";
import { MAX_MEDIA_BYTES } from "../lib/limits.js";
import type { MediaType } from "../lib/schemas.js";
import { createLocalCloudinaryAdmin } from "./local-cloudinary-admin.js";

// Cloudinary rejects an upload signed more than an hour ago.
const SIGNATURE_LIFETIME_SECONDS = 3600;
const CONTENT_TYPES: Record<string, string> = {
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
// Parameters Cloudinary leaves out of the signature.
const UNSIGNED = new Set(["file", "cloud_name", "resource_type", "api_key", "signature"]);

const UPLOAD_PATH = /^\/_cloudinary\/v1_1\/([^/]+)\/(image|video)\/upload$/;
const DELIVERY_PATH = /^\/_cloudinary\/([^/]+)\/(image|video)\/upload\/v\d+\/(.+)\.([a-z0-9]+)$/;

const cloudinaryError = (status: number, message: string) =>
  Response.json({ error: { message } }, { status, headers: { "Access-Control-Allow-Origin": "*" } });

/** Answers the request if it is for the local media store, or returns undefined to let other routes try. */
export function createLocalCloudinary(media: MediaConfig, directory: string) {
  const admin = createLocalCloudinaryAdmin(media, directory);
  return async (request: Request): Promise<Response | undefined> => {
    const { pathname } = new URL(request.url);
    const upload = UPLOAD_PATH.exec(pathname);
    if (upload && request.method === "OPTIONS") {
      return new Response(null, {
        status: 204,
        headers: { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "POST" },
      });
    }
    if (upload && request.method === "POST") return acceptUpload(request, upload[1], upload[2] as MediaType);
    const delivery = DELIVERY_PATH.exec(pathname);
    if (delivery && (request.method === "GET" || request.method === "HEAD")) {
      return serveFile(join(directory, delivery[2], `${delivery[3]}.${delivery[4]}`), delivery[4]);
    }
    return admin(request);
  };

  async function acceptUpload(request: Request, cloud: string, type: MediaType): Promise<Response> {
    if (cloud !== media.cloudName) return cloudinaryError(404, `Unknown cloud ${cloud}`);
    const form = await request.formData().catch(() => undefined);
    const file = form?.get("file");
    if (!form || !(file instanceof File)) return cloudinaryError(400, "Missing required parameter - file");
    const params: Record<string, string> = {};
    for (const [key, value] of form) if (!UNSIGNED.has(key) && typeof value === "string") params[key] = value;
    if (form.get("api_key") !== media.apiKey) return cloudinaryError(401, "Invalid api_key");
    if (cloudinary.utils.api_sign_request(params, media.apiSecret) !== form.get("signature")) {
      return cloudinaryError(401, "Invalid Signature");
    }
    const now = Math.floor(Date.now() / 1000);
    if (Number(params.timestamp) < now - SIGNATURE_LIFETIME_SECONDS) return cloudinaryError(400, "Stale request");
    if (file.size > MAX_MEDIA_BYTES[type])
      return cloudinaryError(400, `File size too large. Maximum is ${MAX_MEDIA_BYTES[type]}.`);
    const format = formatOf(file);
    if (!format || (params.allowed_formats && !params.allowed_formats.split(",").includes(format))) {
      return cloudinaryError(400, `File format ${format ?? "unknown"} not allowed`);
    }
    const publicId = params.public_id;
    if (!publicId || publicId.includes("..")) return cloudinaryError(400, "Invalid public_id");
    const path = join(directory, type, `${publicId}.${format}`);
    if (params.overwrite === "false" && (await stat(path).catch(() => undefined))) {
      return cloudinaryError(409, "Resource already exists");
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.from(await file.arrayBuffer()));
    const version = now;
    const url = `${media.deliveryBase}/${cloud}/${type}/upload/v${version}/${publicId}.${format}`;
    return Response.json(
      {
        public_id: publicId,
        version,
        signature: cloudinary.utils.api_sign_request({ public_id: publicId, version }, media.apiSecret),
        resource_type: type,
        format,
        type: "upload",
        bytes: file.size,
        created_at: new Date(now * 1000).toISOString(),
        tags: params.tags ? params.tags.split(",") : [],
        url,
        secure_url: url,
        original_filename: file.name.replace(/\.[^.]*$/, ""),
      },
      { headers: { "Access-Control-Allow-Origin": "*" } },
    );
  }
}

function formatOf(file: File): string | undefined {
  const fromName = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  if (fromName && fromName in CONTENT_TYPES) return fromName === "jpeg" ? "jpg" : fromName;
  return Object.entries(CONTENT_TYPES).find(([, type]) => type === file.type)?.[0];
}

async function serveFile(path: string, format: string): Promise<Response> {
  const body = await readFile(path).catch(() => undefined);
  if (!body) return new Response("Not found", { status: 404 });
  return new Response(body, {
    headers: {
      "Content-Type": CONTENT_TYPES[format] ?? "application/octet-stream",
      "Cache-Control": "public, max-age=31536000, immutable",
    },
  });
}
