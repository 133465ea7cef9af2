// Moderation: an admin removes anyone's live post at once, optionally with its media, and the upload stays unpostable.

import { type CloudinaryAdmin, type DeleteOutcome, STORED_TYPES } from "../cloudinary/admin-api.js";
import { parsePublicId } from "../cloudinary/public-id.js";
import { HttpError, ServiceUnavailableError } from "../errors.js";
import { parsePost, parseTombstone, postKey, type TombstoneMedia, tombstoneKey } from "../feed/keys.js";
import { removePost } from "../feed/posts.js";
import { log } from "../log.js";
import type { FeedStore } from "../store/feed-store.js";
import type { AdminCaller } from "./admin-auth.js";

export interface TakedownDeps {
  store: Pick<FeedStore, "getValues" | "removePost">;
  admin: Pick<CloudinaryAdmin, "deleteMedia">;
  folder: string;
  ttlSeconds: number;
  now: () => number;
}

export interface TakedownResult {
  id: string;
  /** The author, when the post was still there to read. */
  userId?: string;
  /** The post was already gone by a takedown or its author (a retry gets the same answer, and nothing more happens). */
  alreadyRemoved: boolean;
  /** "deleted" or "not_found" (gone either way) when the media was asked to go, else "kept". */
  media: DeleteOutcome | "kept";
}

/**
 * Media first, then the post: when Cloudinary fails nothing has changed, and a retry starts over. The post's removal
 * writes its tombstone, so the upload can never be published again (410). A post that its author (or an earlier
 * takedown) already removed still has its media deleted when asked: its tombstone names the media.
 */
export async function takeDownPost(id: string, deleteMedia: boolean, deps: TakedownDeps): Promise<TakedownResult> {
  const [value, tombstone] = await deps.store.getValues([postKey(id), tombstoneKey(id)]);
  const post = parsePost(value);
  if (!post) {
    if (tombstone === null || tombstone === undefined) throw new HttpError("not_found");
    const media = deleteMedia ? await deleteMediaOf(id, parseTombstone(tombstone), deps) : "kept";
    return { id, alreadyRemoved: true, media };
  }
  const media = deleteMedia
    ? await deleteMediaOf(id, { publicId: post.cloudinaryPublicId, mediaType: post.mediaType }, deps)
    : "kept";
  await removePost(post, deps);
  return { id, userId: post.userId, alreadyRemoved: false, media };
}

/**
 * Deletes a post's media as the type it was posted as (every stored type when that is unknown): only media that is
 * this post's own feed upload. Media that cannot be named is refused rather than reported as deleted.
 */
async function deleteMediaOf(id: string, media: TombstoneMedia | null, deps: TakedownDeps): Promise<DeleteOutcome> {
  // A value written to Redis by something else could name any public id: the feed deletes only its own uploads.
  if (!media || parsePublicId(deps.folder, media.publicId)?.postId !== id) {
    throw new HttpError("media_unknown");
  }
  const types = media.mediaType ? [media.mediaType] : STORED_TYPES;
  const outcomes = await Promise.all(
    types.map(async (type) => (await deps.admin.deleteMedia(type, [media.publicId]))[media.publicId] ?? "failed"),
  );
  if (outcomes.includes("failed")) {
    throw new ServiceUnavailableError("cloudinary", { cause: new Error("Cloudinary did not confirm the delete") });
  }
  return outcomes.includes("deleted") ? "deleted" : "not_found";
}

/** One structured line per takedown: which post, whose, what happened to its media, who asked, when, which request. */
export function auditTakedown(caller: AdminCaller, result: TakedownResult, nowMs: number, requestId: string): void {
  const { id, userId, alreadyRemoved, media } = result;
  const at = new Date(nowMs).toISOString();
  log.info("post_takedown", { at, requestId, caller, postId: id, authorId: userId ?? null, alreadyRemoved, media });
}
