// Moderation: an admin removes anyone's live post at once, optionally with its media, and the upload stays unpostable.

import { HttpError, ServiceUnavailableError } from "../errors.js";
import { removeForGood } from "../feed.js";
import { parsePost, postKey, removedKey } from "../feed-keys.js";
import { parsePublicId } from "../public-id.js";
import type { Post } from "../schemas.js";
import type { FeedStore } from "../store/feed-store.js";
import type { AdminCaller } from "./admin-auth.js";
import type { CloudinaryAdmin, DeleteOutcome } from "./cloudinary-admin.js";

export interface TakedownDeps {
  store: Pick<FeedStore, "getValues" | "removePost">;
  admin: Pick<CloudinaryAdmin, "deleteMedia">;
  folder: string;
  ttlSeconds: number;
}

export interface TakedownResult {
  id: string;
  /** The author, when the post was still there to read. */
  userId?: string;
  /** The post was already gone by a takedown or its author (a retry gets the same answer, and nothing more happens). */
  alreadyRemoved: boolean;
  media: DeleteOutcome | "kept";
}

/**
 * Media first, then the post: when Cloudinary fails nothing has changed, and a retry starts over. The post's removal
 * writes its tombstone, so the upload can never be published again (410).
 */
export async function takeDownPost(id: string, deleteMedia: boolean, deps: TakedownDeps): Promise<TakedownResult> {
  const [value, tombstone] = await deps.store.getValues([postKey(id), removedKey(id)]);
  const post = parsePost(value);
  if (!post) {
    if (tombstone !== null && tombstone !== undefined) return { id, alreadyRemoved: true, media: "kept" };
    throw new HttpError(404, "not_found", "No live post has this id.");
  }
  const media = deleteMedia ? await deleteMediaOf(post, deps) : "kept";
  await removeForGood(id, deps);
  return { id, userId: post.userId, alreadyRemoved: false, media };
}

/** Deletes the post's media as the type it was posted as; only media that is this post's own feed upload. */
async function deleteMediaOf(post: Post, deps: TakedownDeps): Promise<DeleteOutcome | "kept"> {
  // A value written to Redis by something else could name any public id: the feed deletes only its own uploads.
  if (parsePublicId(deps.folder, post.cloudinaryPublicId)?.postId !== post.id) return "kept";
  const outcomes = await deps.admin.deleteMedia(post.mediaType, [post.cloudinaryPublicId]);
  const outcome = outcomes[post.cloudinaryPublicId] ?? "failed";
  if (outcome === "failed") {
    throw new ServiceUnavailableError("cloudinary", { cause: new Error("Cloudinary did not confirm the delete") });
  }
  return outcome;
}

/** One structured line per takedown: which post, whose, what happened to its media, who asked, when. */
export function auditTakedown(caller: AdminCaller, result: TakedownResult, nowMs: number): void {
  const { id, userId, alreadyRemoved, media } = result;
  const line = { level: "info", event: "post_takedown", at: new Date(nowMs).toISOString(), caller };
  console.log(JSON.stringify({ ...line, postId: id, authorId: userId ?? null, alreadyRemoved, media }));
}
