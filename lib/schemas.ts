// The feed's data contracts: the stored post and every request body/query, shared by the server and the browser client.
import { z } from "zod";
import { MAX_TEXT_CHARS } from "./content-limits.js";

export const MEDIA_TYPES = ["image", "video"] as const;
export const MediaTypeSchema = z.enum(MEDIA_TYPES);
export type MediaType = z.infer<typeof MediaTypeSchema>;

export { MAX_TEXT_CHARS } from "./content-limits.js";
// nanoid's alphabet; post ids are also the last segment of the Cloudinary public_id.
export const POST_ID_PATTERN = /^[A-Za-z0-9_-]{10,64}$/;

// C0/C1 control characters other than tab and newline, and UTF-16 surrogates that are not part of a pair.
const FORBIDDEN_TEXT =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const CaptionSchema = z
  .string()
  .refine((text) => !FORBIDDEN_TEXT.test(text), "must not contain control characters or lone surrogates")
  .refine((text) => [...text].length <= MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`);

/** Exactly the JSON document stored under `feed:<id>`; parsing strips anything else. */
export const PostSchema = z.object({
  id: z.string().regex(POST_ID_PATTERN),
  userId: z.string().min(1),
  username: z.string(),
  text: z.string(),
  mediaUrl: z.string().url(),
  mediaType: MediaTypeSchema,
  cloudinaryPublicId: z.string().min(1),
  createdAt: z.iso.datetime(),
});
export type Post = z.infer<typeof PostSchema>;

export const UploadSignatureRequestSchema = z.object({ mediaType: MediaTypeSchema });
export type UploadSignatureRequest = z.infer<typeof UploadSignatureRequestSchema>;

export const UploadSignatureSchema = z.object({
  uploadUrl: z.string().url(),
  fields: z.record(z.string(), z.string()),
});
export type UploadSignature = z.infer<typeof UploadSignatureSchema>;

/** The part of Cloudinary's upload response the server relies on; everything else the client sends is ignored. */
export const CloudinaryUploadSchema = z.object({
  public_id: z.string().min(1).max(255),
  version: z.number().int().positive(),
  signature: z.string().regex(/^[a-f0-9]{40,64}$/),
  resource_type: MediaTypeSchema,
  format: z.string().regex(/^[a-z0-9]{1,10}$/),
});
export type CloudinaryUpload = z.infer<typeof CloudinaryUploadSchema>;

export const CreatePostRequestSchema = z.object({
  text: CaptionSchema.default(""),
  upload: CloudinaryUploadSchema,
});
export type CreatePostRequest = z.infer<typeof CreatePostRequestSchema>;

export const MAX_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_LIMIT = 20;

/**
 * A write's `Feed-Sync-Token`, sent back by its writer's next reads for a few seconds: they then wait for a read
 * replica to have that write (Upstash), and are answered privately.
 */
const SyncTokenSchema = z.string().regex(/^[\x21-\x7e]{1,200}$/, "must be a Feed-Sync-Token as the API sent it");

// Digits only, no leading zero: `05`, `+5`, `5.0`, `1e1` or ` 5` would name the same page under another URL, each a
// free cache-busting variant.
function pageLimit(max: number) {
  const range = `must be a whole number from 1 to ${max}`;
  return z
    .string()
    .regex(/^[1-9][0-9]*$/, `${range}, in plain digits`)
    .transform(Number)
    .pipe(z.number().max(max, range));
}

// Strict: the CDN keys a page by its whole URL, so a parameter the API ignored would be a free uncached read. A new
// parameter is one more line here.
export const FeedQuerySchema = z.strictObject({
  limit: pageLimit(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  cursor: z.string().max(200).optional(),
  /** Only this person's posts (a token's `sub`). */
  author: z.string().min(1).max(256).optional(),
  sync: SyncTokenSchema.optional(),
});
export type FeedQuery = z.infer<typeof FeedQuerySchema>;

export const MAX_PEOPLE_LIMIT = 50;
export const PeopleQuerySchema = z.strictObject({
  limit: pageLimit(MAX_PEOPLE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  cursor: z.string().max(200).optional(),
  sync: SyncTokenSchema.optional(),
});
export type PeopleQuery = z.infer<typeof PeopleQuerySchema>;

// Not strict, unlike the page queries, so other parameters are ignored as they always were here: a DELETE is never
// cached (an extra parameter buys no free variant), and Vercel passes the path's `[id]` as `?id=` too (postIdParam reads
// it by its own rules). A repeated `media` is refused (readQuery): deleting media cannot be undone, so it is not guessed.
export const TakedownQuerySchema = z.object({
  /** Delete the post's media on Cloudinary too; it is kept by default. */
  media: z.enum(["delete", "keep"], "must be delete or keep (the default).").default("keep"),
});

/** A page of one of the feed's reads: its items, where the next page starts, and how long a post lives. */
const pageSchemaOf = <Item extends z.ZodType>(item: Item) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable(),
    /** How long a post lives (FEED_TTL_SECONDS), so clients count down and word lifetimes from the server itself. */
    ttlSeconds: z.number().int().positive(),
  });

export const FeedPageSchema = pageSchemaOf(PostSchema);
export type FeedPage = z.infer<typeof FeedPageSchema>;

/** One person with live posts, as GET /api/feed/people lists them: their newest post stands for them in a tray. */
export const PersonSchema = z.object({
  userId: z.string().min(1),
  username: z.string(),
  postCount: z.number().int().min(0),
  latest: PostSchema,
});
export type Person = z.infer<typeof PersonSchema>;

export const PeoplePageSchema = pageSchemaOf(PersonSchema);
export type PeoplePage = z.infer<typeof PeoplePageSchema>;

export const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
