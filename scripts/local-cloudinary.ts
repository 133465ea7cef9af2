// A local stand-in for Cloudinary's upload and delivery endpoints, so `npm run dev` works offline with no account.
// It checks the upload signature exactly as Cloudinary does, so the same server code signs and verifies.
import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { v2 as cloudinary } from "cloudinary";
import { MAX_MEDIA_BYTES } from "../lib/content-limits.js";
import type { MediaConfig } from "../lib/env.js";
import type { MediaType } from "../lib/schemas.js";
import { createLocalCloudinaryAdmin } from "./local-cloudinary-admin.js";
import { CONTENT_TYPES, parseDeliveryPath, serveDelivery } from "./local-cloudinary-delivery.js";

// Cloudinary rejects an upload signed more than an hour ago.
const SIGNATURE_LIFETIME_SECONDS = 3600;
// Parameters Cloudinary leaves out of the signature.
const UNSIGNED = new Set(["file", "cloud_name", "resource_type", "api_key", "signature"]);

// Comma-separated `name_value` components, in one or more `/`-chained steps, as Cloudinary parses them.
const TRANSFORMATION = /^[a-z]{1,3}_[^,/]+(,[a-z]{1,3}_[^,/]+)*(\/[a-z]{1,3}_[^,/]+(,[a-z]{1,3}_[^,/]+)*)*$/;
const UPLOAD_PATH = /^\/_cloudinary\/v1_1\/([^/]+)\/(image|video)\/upload$/;

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
    const delivery = parseDeliveryPath(pathname);
    if (delivery && (request.method === "GET" || request.method === "HEAD")) {
      return serveDelivery(directory, delivery, request);
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
    const now = Math.floor(Date.now() / 1000);
    const refused = refuseParams(params, form, now) ?? refuseFile(file, type, params);
    if (refused) return refused;
    const format = formatOf(file) as string;
    const publicId = params.public_id;
    const path = join(directory, type, `${publicId}.${format}`);
    if (params.overwrite === "false" && (await stat(path).catch(() => undefined))) {
      return cloudinaryError(409, "Resource already exists");
    }
    await mkdir(dirname(path), { recursive: true });
    // An incoming `transformation` is checked and signed, but the original is stored as it came: there is no image
    // library here, and local files are short-lived.
    await writeFile(path, Buffer.from(await file.arrayBuffer()));
    const url = `${media.deliveryBase}/${cloud}/${type}/upload/v${now}/${publicId}.${format}`;
    return Response.json(
      {
        public_id: publicId,
        version: now,
        signature: cloudinary.utils.api_sign_request({ public_id: publicId, version: now }, media.apiSecret),
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

  /** Cloudinary's answers to a request it cannot trust: wrong key, a signature that does not cover every field. */
  function refuseParams(params: Record<string, string>, form: FormData, now: number): Response | undefined {
    if (form.get("api_key") !== media.apiKey) return cloudinaryError(401, "Invalid api_key");
    if (cloudinary.utils.api_sign_request(params, media.apiSecret) !== form.get("signature")) {
      return cloudinaryError(401, "Invalid Signature");
    }
    if (Number(params.timestamp) < now - SIGNATURE_LIFETIME_SECONDS) return cloudinaryError(400, "Stale request");
    if (params.transformation && !TRANSFORMATION.test(params.transformation)) {
      return cloudinaryError(400, `Invalid transformation component - ${params.transformation}`);
    }
    const publicId = params.public_id;
    if (!publicId || publicId.includes("..")) return cloudinaryError(400, "Invalid public_id");
    return undefined;
  }
}

/** Cloudinary's answers to a file it will not store: too large, or not one of the signed allowed formats. */
function refuseFile(file: File, type: MediaType, params: Record<string, string>): Response | undefined {
  if (file.size > MAX_MEDIA_BYTES[type]) {
    return cloudinaryError(400, `File size too large. Maximum is ${MAX_MEDIA_BYTES[type]}.`);
  }
  const format = formatOf(file);
  if (!format || (params.allowed_formats && !params.allowed_formats.split(",").includes(format))) {
    return cloudinaryError(400, `File format ${format ?? "unknown"} not allowed`);
  }
  return undefined;
}

function formatOf(file: File): string | undefined {
  const fromName = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  if (fromName && fromName in CONTENT_TYPES) return fromName === "jpeg" ? "jpg" : fromName;
  return Object.entries(CONTENT_TYPES).find(([, type]) => type === file.type)?.[0];
}
