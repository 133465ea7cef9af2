// Limits shared by the server, the local media store and the browser client; no imports, so bundles stay small.

// Instagram's caption limit; counted in characters (code points), not UTF-16 units.
export const MAX_TEXT_CHARS = 2200;

// How long a post lives unless FEED_TTL_SECONDS says otherwise: an hour, the product's promise.
export const DEFAULT_TTL_SECONDS = 3600;

// Cloudinary's free-plan limits per file; paid plans allow more, so the browser client lets hosts raise them.
// 100 MB is also Cloudinary's ceiling for one upload request on every plan: larger files need a chunked upload.
export const MAX_MEDIA_BYTES = { image: 10 * 1024 * 1024, video: 100 * 1024 * 1024 } as const;

// The formats a post may be stored in, as Cloudinary names them in `format`: signed as `allowed_formats`, checked
// again when publishing, and recognised by their first bytes in the browser. HEIC and MOV come from iPhones; viewers
// get them through f_auto, so browsers that cannot show them never have to.
export const ALLOWED_FORMATS = {
  image: ["jpg", "jpeg", "png", "gif", "webp", "avif", "heic"],
  video: ["mp4", "webm", "mov", "m4v"],
} as const;
