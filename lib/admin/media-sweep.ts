// Finding feed media left on Cloudinary after their posts expired (Redis no longer knows them): for the batch command.

import { STORED_TYPES, type StoredMedia } from "../cloudinary/admin-api.js";
import { parsePublicId } from "../cloudinary/public-id.js";
import { MAX_UPLOAD_AGE_SECONDS } from "../cloudinary/upload-signer.js";
import { type CleanupDeps, findLiveIds } from "./media-cleanup.js";

// createPost accepts an upload up to this old: younger media may still be about to become a post, so it is never swept.
export const MIN_SWEEP_AGE_MS = MAX_UPLOAD_AGE_SECONDS * 1000;

export interface SweepDeps extends CleanupDeps {
  now: () => number;
}

export interface Leftovers {
  /** Old enough and referenced by no live post: safe to delete. */
  candidates: StoredMedia[];
  /** Old enough, but a live post still shows it. */
  live: StoredMedia[];
  /** Everything listed under the feed folder. */
  scanned: number;
}

/** Lists the feed folder on Cloudinary (both types, every page) and keeps feed media older than the threshold. */
export async function findLeftovers(olderThanMs: number, deps: SweepDeps): Promise<Leftovers> {
  if (olderThanMs < MIN_SWEEP_AGE_MS) {
    throw new RangeError(`the age threshold must be at least ${MIN_SWEEP_AGE_MS / 60_000} minutes`);
  }
  const cutoff = deps.now() - olderThanMs;
  const old: StoredMedia[] = [];
  let scanned = 0;
  for (const type of STORED_TYPES) {
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      // The trailing slash keeps sibling folders (`feed-archive/`) out of the listing.
      const page = await deps.admin.listMedia(type, `${deps.folder}/`, cursor);
      scanned += page.resources.length;
      for (const media of page.resources) {
        // An unreadable date compares false: media whose age is unknown is kept.
        if (parsePublicId(deps.folder, media.publicId) && Date.parse(media.createdAt) <= cutoff) old.push(media);
      }
      // A cursor seen before would loop forever; Cloudinary never sends one, but a stand-in might.
      cursor = page.nextCursor && !seen.has(page.nextCursor) ? page.nextCursor : undefined;
      if (cursor) seen.add(cursor);
    } while (cursor);
  }
  const live = await findLiveIds(
    old.map((media) => media.publicId),
    deps,
  );
  return {
    candidates: old.filter((media) => !live.has(media.publicId)),
    live: old.filter((media) => live.has(media.publicId)),
    scanned,
  };
}
