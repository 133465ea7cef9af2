// Deleting feed media on Cloudinary when an operator asks: live posts are protected unless forced, types are grouped.

import {
  type CloudinaryAdmin,
  type DeleteOutcome,
  MAX_IDS_PER_CALL,
  STORED_TYPES,
  type StoredType,
} from "../cloudinary/admin-api.js";
import { parsePublicId } from "../cloudinary/public-id.js";
import { postKey, tombstoneKey, tombstoneValue } from "../feed/keys.js";
import { log } from "../log.js";
import type { FeedStore } from "../store/feed-store.js";
import type { AdminCaller } from "./admin-auth.js";
import type { CleanupCounts, CleanupRequest, CleanupResult } from "./cleanup-request.js";

// Keys per MGET when checking which posts are live: each command stays small however many leftovers a batch finds.
const MGET_BATCH = 100;

export interface CleanupDeps {
  admin: CloudinaryAdmin;
  store: Pick<FeedStore, "getValues">;
  folder: string;
}

export interface IdCleanupDeps extends CleanupDeps {
  store: Pick<FeedStore, "getValues" | "writeTombstones">;
  /** How long a cleaned-up upload stays unpublishable (as long as it could still be posted). */
  tombstoneTtlSeconds: number;
}

export interface MediaRef {
  publicId: string;
  resourceType: StoredType;
}

export interface BatchReport {
  type: StoredType;
  batch: number;
  batches: number;
  outcomes: Record<string, DeleteOutcome>;
}

/** Public ids whose post still exists in Redis (its key is `feed:<last segment>`): their media must stay. */
export async function findLiveIds(publicIds: string[], deps: Omit<CleanupDeps, "admin">): Promise<Set<string>> {
  const live = new Set<string>();
  for (const batch of chunk(publicIds, MGET_BATCH)) {
    const feedIds = batch.flatMap((publicId) => {
      const postId = parsePublicId(deps.folder, publicId)?.postId;
      // Anything that is not a feed id counts as live: protection errs towards keeping media.
      if (!postId) live.add(publicId);
      return postId ? [{ publicId, key: postKey(postId) }] : [];
    });
    if (feedIds.length === 0) continue;
    const values = await deps.store.getValues(feedIds.map(({ key }) => key));
    feedIds.forEach(({ publicId }, i) => {
      if (values[i] !== null && values[i] !== undefined) live.add(publicId);
    });
  }
  return live;
}

/** Calls of at most 100 ids, each of one type (Cloudinary finds media only under its own type): the one split by type. */
function deleteBatches(media: MediaRef[]): { type: StoredType; ids: string[] }[] {
  return STORED_TYPES.flatMap((type) => {
    const ids = media.filter((item) => item.resourceType === type).map((item) => item.publicId);
    return chunk(ids, MAX_IDS_PER_CALL).map((batch) => ({ type, ids: batch }));
  });
}

/** The batch command's delete: one call at a time, reporting each (it waits out rate limits between them). */
export async function deleteGrouped(
  media: MediaRef[],
  admin: CloudinaryAdmin,
  onBatch?: (report: BatchReport) => void,
): Promise<Map<string, DeleteOutcome>> {
  const batches = deleteBatches(media);
  const outcomes = new Map<string, DeleteOutcome>();
  for (const [index, { type, ids }] of batches.entries()) {
    const result = await admin.deleteMedia(type, ids);
    for (const [id, outcome] of Object.entries(result)) outcomes.set(id, outcome);
    onBatch?.({ type, batch: index + 1, batches: batches.length, outcomes: result });
  }
  return outcomes;
}

/**
 * The admin endpoint's use case: each id is skipped (live), not found, would be deleted (dry run) or deleted. The
 * uploads get their tombstones before anything else, so a publish racing this cleanup either landed first (and
 * its post is found live and kept) or is refused with 410: never a live post whose media was deleted.
 */
export async function cleanupByIds(request: CleanupRequest, deps: IdCleanupDeps): Promise<CleanupResult[]> {
  if (!request.dryRun) await tombstoneUploads(request.publicIds, deps);
  const live = await findLiveIds(request.publicIds, deps);
  const protectedIds = request.force ? new Set<string>() : live;
  const targets = request.publicIds.filter((id) => !protectedIds.has(id));
  const found = await findTypes(targets, deps.admin);
  const refs = targets.flatMap((publicId) => {
    const resourceType = found.get(publicId);
    return resourceType ? [{ publicId, resourceType }] : [];
  });
  const outcomes = request.dryRun ? new Map<string, DeleteOutcome>() : await deleteEachType(refs, deps.admin);
  return request.publicIds.map((publicId): CleanupResult => {
    if (protectedIds.has(publicId)) return { publicId, status: "skipped_live" };
    const resourceType = found.get(publicId);
    if (!resourceType) return { publicId, status: "not_found" };
    if (request.dryRun) return { publicId, status: "would_delete", resourceType };
    return { publicId, status: outcomes.get(publicId) ?? "failed", resourceType };
  });
}

/**
 * Media that may be deleted can never become a post afterwards (a fresh upload may not be published yet). Tombstoned
 * first: if Redis fails, nothing is deleted and the caller gets a 503. A post already live stays live (and keeps its
 * media unless forced); its tombstone only keeps the upload from being published again once the post is gone.
 */
async function tombstoneUploads(publicIds: string[], deps: IdCleanupDeps): Promise<void> {
  const tombstones = publicIds.flatMap((publicId) => {
    const postId = parsePublicId(deps.folder, publicId)?.postId;
    return postId ? [{ key: tombstoneKey(postId), value: tombstoneValue({ publicId }) }] : [];
  });
  if (tombstones.length > 0) await deps.store.writeTombstones(tombstones, deps.tombstoneTtlSeconds);
}

/**
 * The endpoint's delete: its at most 100 ids make at most one call per type, all at once (a third of the wait). When
 * one call fails after another deleted, the answer still says what was deleted and marks the rest failed. When
 * nothing was deleted the error stands, and the caller gets a 503 with nothing changed.
 */
async function deleteEachType(refs: MediaRef[], admin: CloudinaryAdmin): Promise<Map<string, DeleteOutcome>> {
  const settled = await Promise.allSettled(deleteBatches(refs).map(({ type, ids }) => admin.deleteMedia(type, ids)));
  const failure = settled.find((result) => result.status === "rejected");
  const done = settled.flatMap((result) => (result.status === "fulfilled" ? Object.entries(result.value) : []));
  if (failure && done.length === 0) throw failure.reason;
  if (failure) {
    const cause =
      failure.reason instanceof Error && failure.reason.cause instanceof Error ? failure.reason.cause : failure.reason;
    log.error("media_cleanup_partial", { error: String(cause) });
  }
  return new Map(done);
}

/** Which type each id exists as; every type is asked at once since the request does not say. */
async function findTypes(publicIds: string[], admin: CloudinaryAdmin): Promise<Map<string, StoredType>> {
  const types = new Map<string, StoredType>();
  for (const batch of chunk(publicIds, MAX_IDS_PER_CALL)) {
    const found = await Promise.all(STORED_TYPES.map((type) => admin.findMedia(type, batch)));
    for (const media of found.flat()) if (batch.includes(media.publicId)) types.set(media.publicId, media.resourceType);
  }
  return types;
}

/** One structured line per cleanup: who (token fingerprint, address), what (ids and outcomes), when, which request. */
export function auditCleanup(
  caller: AdminCaller,
  request: CleanupRequest,
  results: CleanupResult[],
  counts: CleanupCounts,
  nowMs: number,
  requestId: string,
): void {
  const { dryRun, force } = request;
  const outcomes = results.map(({ publicId, status }) => `${publicId}:${status}`);
  log.info("media_cleanup", { at: new Date(nowMs).toISOString(), requestId, caller, dryRun, force, counts, outcomes });
}

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
