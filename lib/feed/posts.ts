// The feed's use cases: sign an upload, create a post from a verified upload, list a page, delete one's own post.
import type { Identity } from "../auth.js";
import { MAX_UPLOAD_AGE_SECONDS, type MediaSigner, SIGNATURE_LIFETIME_SECONDS } from "../cloudinary/upload-signer.js";
import { HttpError } from "../errors.js";
import type { CreatePostRequest, MediaType, Post, UploadSignature } from "../schemas.js";
import type { FeedStore } from "../store/feed-store.js";
import { parsePost, postKey, postRemoval, postWrite } from "./keys.js";
import type { PageDeps } from "./paging.js";

// Beyond the oldest upload createPost accepts, for clocks (ours, Redis's, Cloudinary's) that disagree a little.
const CLOCK_SLACK_SECONDS = 300;

export interface FeedDeps extends PageDeps {
  media: MediaSigner;
  newId: () => string;
}

/**
 * A removed upload stays unpublishable for as long as any version of it could still be presented. Its signed fields
 * upload new versions for the signature's lifetime, and createPost accepts a version for min(1 h, TTL) after that
 * upload; the removal comes after the signing, so counting both from the removal covers every version.
 */
export const tombstoneTtlSeconds = (ttlSeconds: number): number =>
  SIGNATURE_LIFETIME_SECONDS + Math.min(MAX_UPLOAD_AGE_SECONDS, ttlSeconds) + CLOCK_SLACK_SECONDS;

export function signUpload(mediaType: MediaType, identity: Identity, deps: FeedDeps): UploadSignature {
  return deps.media.signUpload({ userId: identity.userId, mediaType, postId: deps.newId(), nowMs: deps.now() });
}

/**
 * Stores the post under `feed:<id>` with the TTL in the same command; the id comes from the signed public_id, so an
 * upload is published at most once. Publishing it again (a retry after a timeout, a double click) answers the stored
 * post (`created: false`); after the post was deleted or its media cleaned up, it is refused with 410.
 */
export async function createPost(
  input: CreatePostRequest,
  identity: Identity,
  deps: FeedDeps,
): Promise<{ post: Post; created: boolean }> {
  const now = deps.now();
  const media = deps.media.verifyUpload(input.upload, identity.userId, now, deps.ttlSeconds);
  // Field order is the stored document's contract.
  const post: Post = {
    id: media.postId,
    userId: identity.userId,
    username: identity.username,
    text: input.text,
    mediaUrl: media.mediaUrl,
    mediaType: media.mediaType,
    cloudinaryPublicId: media.publicId,
    createdAt: new Date(now).toISOString(),
  };
  const outcome = await deps.store.publishPost(postWrite(post, deps.ttlSeconds, now));
  if (outcome.status === "created") return { post, created: true };
  if (outcome.status === "removed") {
    throw new HttpError("upload_removed");
  }
  const stored = parsePost(outcome.value);
  // Only the uploader can present this public id (verifyUpload checked the folder), so a stored post that is not
  // theirs is foreign data under the key: never show or overwrite it.
  if (stored?.userId !== identity.userId) {
    throw new HttpError("already_posted");
  }
  return { post: stored, created: false };
}

/** Removes the author's own post early; the media stays on Cloudinary (cleanup is a separate, manual job). */
export async function deletePost(id: string, identity: Identity, deps: FeedDeps): Promise<void> {
  const [value] = await deps.store.getValues([postKey(id)]);
  const post = parsePost(value);
  if (!post) throw new HttpError("not_found");
  if (post.userId !== identity.userId) throw new HttpError("forbidden", "Only the author can delete this post.");
  await removePost(post, deps);
}

/**
 * Removes a post (its author's delete, or a takedown) and keeps its upload from ever being published again. The
 * tombstone names the media, which stays on Cloudinary, so a takedown can still delete it once the post is gone.
 */
export function removePost(
  post: Post,
  deps: { store: Pick<FeedStore, "removePost">; ttlSeconds: number; now: () => number },
): Promise<void> {
  const times = {
    tombstoneTtlSeconds: tombstoneTtlSeconds(deps.ttlSeconds),
    ttlSeconds: deps.ttlSeconds,
    nowMs: deps.now(),
  };
  return deps.store.removePost(postRemoval(post, times));
}
