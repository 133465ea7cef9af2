// Limits shared by the server, the local media store and the browser client; no imports, so bundles stay small.

// Instagram's caption limit; counted in characters (code points), not UTF-16 units.
export const MAX_TEXT_CHARS = 2200;

// Cloudinary's free-plan limits per file; paid plans allow more, so the browser client lets hosts raise them.
export const MAX_MEDIA_BYTES = { image: 10 * 1024 * 1024, video: 100 * 1024 * 1024 } as const;
