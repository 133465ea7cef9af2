// The feed's use cases: sign an upload, create a post from a verified upload, list a page, delete one's own post.
import type { Identity } from "./auth.js";
import { HttpError } from "./errors.js";
import { INDEX_KEY, parsePost, postKey } from "./feed-keys.js";
import type { PageDeps } from "./feed-page.js";
import type { MediaSigner } from "./media.js";
import type { CreatePostRequest, MediaType, Post, UploadSignature } from "./schemas.js";
import type { FeedStore } from "./store/feed-store.js";

export interface FeedDeps extends PageDeps {
  store: FeedStore;
  media: MediaSigner;
  newId: () => string;
}

export function signUpload(mediaType: MediaType, identity: Identity, deps: FeedDeps): UploadSignature {
  return deps.media.signUpload({ userId: identity.userId, mediaType, postId: deps.newId(), nowMs: deps.now() });
}

/** Stores the post under `feed:<id>` with the TTL in the same command; the id comes from the signed public_id. */
export async function createPost(input: CreatePostRequest, identity: Identity, deps: FeedDeps): Promise<Post> {
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
  const created = await deps.store.insertPost({
    key: postKey(post.id),
    value: JSON.stringify(post),
    ttlSeconds: deps.ttlSeconds,
    indexKey: INDEX_KEY,
    id: post.id,
    score: now,
    trimBelow: now - deps.ttlSeconds * 1000,
  });
  // The public_id (and so the post id) is unique per signature: a second post of one upload is a replay.
  if (!created) throw new HttpError(409, "already_posted", "This upload has already been posted.");
  return post;
}

/** Removes the author's own post early; the media stays on Cloudinary (cleanup is a separate, manual job). */
export async function deletePost(id: string, identity: Identity, deps: FeedDeps): Promise<void> {
  const [value] = await deps.store.getValues([postKey(id)]);
  const post = parsePost(value);
  if (!post) throw new HttpError(404, "not_found", "No live post has this id.");
  if (post.userId !== identity.userId) throw new HttpError(403, "forbidden", "Only the author can delete this post.");
  await deps.store.deletePost(postKey(id), INDEX_KEY, id);
}
