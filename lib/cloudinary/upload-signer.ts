// Cloudinary for the feed: signs direct browser uploads and verifies what the browser reports back.
import { v2 as cloudinary } from "cloudinary";
import { ALLOWED_FORMATS } from "../content-limits.js";
import type { MediaConfig } from "../env.js";
import { ConfigError, HttpError } from "../errors.js";
import type { CloudinaryUpload, MediaType, UploadSignature } from "../schemas.js";
import { buildPublicId, isSignedAs, ownerSegment, parsePublicId } from "./public-id.js";

declare module "cloudinary" {
  namespace v2.utils {
    function verify_api_response_signature(publicId: string, version: number, signature: string): boolean;
  }
}

// Cloudinary applies the signed incoming `transformation` before storing, so no stored photo exceeds 2560 px on
// either side (c_limit never enlarges): enough for a 1280 px card on a 2x screen, the most the feed asks for.
// https://cloudinary.com/documentation/upload_parameters#incoming_transformations
// Videos get none: the upload request itself would transcode them, and Cloudinary transforms video synchronously only
// up to 40 MB on the free plan, so it would risk refusing the 40-100 MB videos the client accepts. Their size stays
// bounded by MAX_MEDIA_BYTES, and delivery caps their width (client/delivery.ts).
// https://support.cloudinary.com/hc/en-us/community/posts/8170113739154-m4a-transformation-on-the-fly-limit
export const INCOMING_TRANSFORMATION: Partial<Record<MediaType, string>> = { image: "c_limit,w_2560,h_2560" };
// Every feed upload carries this tag so the media can be found (and cleaned up) on Cloudinary after posts expire.
export const FEED_TAG = "ephemeral_feed";
// Cloudinary accepts a signed upload for an hour after the signature's timestamp, so the same signed fields can upload
// new versions of the file until then. https://cloudinary.com/documentation/authentication_signatures
export const SIGNATURE_LIFETIME_SECONDS = 3600;
// An upload older than this (or than the feed's TTL, if shorter) was not made for a post being created now.
export const MAX_UPLOAD_AGE_SECONDS = 3600;

export interface VerifiedMedia {
  postId: string;
  publicId: string;
  mediaType: MediaType;
  mediaUrl: string;
}

export interface MediaSigner {
  signUpload(input: { userId: string; mediaType: MediaType; postId: string; nowMs: number }): UploadSignature;
  /** `maxAgeSeconds` (the feed's TTL) keeps an upload from outliving its post and being posted again. */
  verifyUpload(upload: CloudinaryUpload, userId: string, nowMs: number, maxAgeSeconds: number): VerifiedMedia;
}

/** No Cloudinary account outside production (a local run outside `npm run dev`): 500 not_configured, reason logged. */
export function cloudinaryNotConfigured(): ConfigError {
  return new ConfigError(["Cloudinary is not configured: set CLOUDINARY_URL (npm run dev offers a local stand-in)"]);
}

export function createMediaSigner(config: MediaConfig): MediaSigner {
  if (config.account === "none") {
    const refuse = (): never => {
      throw cloudinaryNotConfigured();
    };
    return { signUpload: refuse, verifyUpload: refuse };
  }
  // verify_api_response_signature reads the secret from the SDK's global configuration.
  cloudinary.config({ cloud_name: config.cloudName, api_key: config.apiKey, api_secret: config.apiSecret });
  return {
    signUpload({ userId, mediaType, postId, nowMs }) {
      const incoming = INCOMING_TRANSFORMATION[mediaType];
      // Every field the browser sends is signed (Cloudinary refuses any other), so it can change none of them.
      const params: Record<string, string> = {
        allowed_formats: ALLOWED_FORMATS[mediaType].join(","),
        overwrite: "false",
        public_id: buildPublicId(config.folder, userId, mediaType, postId),
        tags: FEED_TAG,
        timestamp: String(Math.floor(nowMs / 1000)),
        ...(incoming ? { transformation: incoming } : {}),
      };
      const signature = cloudinary.utils.api_sign_request(params, config.apiSecret);
      return {
        uploadUrl: `${config.apiBase}/v1_1/${config.cloudName}/${mediaType}/upload`,
        fields: { ...params, api_key: config.apiKey, signature },
      };
    },

    verifyUpload(upload, userId, nowMs, maxAgeSeconds) {
      if (!cloudinary.utils.verify_api_response_signature(upload.public_id, upload.version, upload.signature)) {
        throw new HttpError("invalid_upload");
      }
      const parts = parsePublicId(config.folder, upload.public_id);
      if (!parts || parts.owner !== ownerSegment(userId)) {
        throw new HttpError("upload_not_allowed");
      }
      const { postId } = parts;
      if (!isSignedAs(postId, upload.resource_type)) {
        throw new HttpError("invalid_upload", `This upload was not signed as a ${upload.resource_type}.`);
      }
      // resource_type and format are not covered by Cloudinary's signature: keep them to what this type may be.
      if (!(ALLOWED_FORMATS[upload.resource_type] as readonly string[]).includes(upload.format)) {
        throw new HttpError("invalid_upload", `A ${upload.resource_type} cannot have the format ${upload.format}.`);
      }
      if (upload.version < nowMs / 1000 - Math.min(MAX_UPLOAD_AGE_SECONDS, maxAgeSeconds)) {
        throw new HttpError("upload_expired");
      }
      // Rebuilt from signed fields: the client's secure_url is never trusted.
      const path = `${upload.resource_type}/upload/v${upload.version}/${upload.public_id}.${upload.format}`;
      return {
        postId,
        publicId: upload.public_id,
        mediaType: upload.resource_type,
        mediaUrl: `${config.deliveryBase}/${config.cloudName}/${path}`,
      };
    },
  };
}
