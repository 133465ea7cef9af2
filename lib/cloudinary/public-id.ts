// The one home of a feed upload's Cloudinary public id, `<folder>/u<owner hash>/<type letter><random id>`: built when
// an upload is signed, parsed when it is published, cleaned up or taken down.
import { createHash } from "node:crypto";
import { type MediaType, POST_ID_PATTERN } from "../schemas.js";

// A post id starts with the media type it was signed for. Cloudinary's response signature covers only public_id and
// version, so this is how a claimed resource_type is checked against what the server signed.
const TYPE_PREFIX: Record<MediaType, string> = { image: "i", video: "v" };
// `u` and 16 hex digits of the user id's SHA-256: ties an upload to its user without putting user ids in public URLs.
const OWNER_SEGMENT = /^u[0-9a-f]{16}$/;

export interface PublicIdParts {
  /** The owner segment, `u<hash>`: compare with `ownerSegment(userId)`. */
  owner: string;
  /** The last segment, which is also the post's id (`feed:<postId>`). */
  postId: string;
}

export function ownerSegment(userId: string): string {
  return `u${createHash("sha256").update(userId).digest("hex").slice(0, 16)}`;
}

/** The folder a user's uploads go to. */
export function ownerFolder(folder: string, userId: string): string {
  return `${folder}/${ownerSegment(userId)}`;
}

/** The public id to sign for a new upload; `randomId` is a fresh nanoid, prefixed here with the type's letter. */
export function buildPublicId(folder: string, userId: string, mediaType: MediaType, randomId: string): string {
  return `${ownerFolder(folder, userId)}/${TYPE_PREFIX[mediaType]}${randomId}`;
}

/**
 * The parts of a feed upload's public id, or null for anything else: other folders, wildcards, `..`, extra or missing
 * segments. Only such ids are ever published or deleted.
 */
export function parsePublicId(folder: string, publicId: string): PublicIdParts | null {
  if (!publicId.startsWith(`${folder}/`)) return null;
  const rest = publicId.slice(folder.length + 1).split("/");
  if (rest.length !== 2 || !OWNER_SEGMENT.test(rest[0]) || !POST_ID_PATTERN.test(rest[1])) return null;
  return { owner: rest[0], postId: rest[1] };
}

/** Whether a post id was signed for this media type (its first letter). */
export function isSignedAs(postId: string, mediaType: MediaType): boolean {
  return postId.startsWith(TYPE_PREFIX[mediaType]);
}
