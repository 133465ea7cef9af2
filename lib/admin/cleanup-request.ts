// The media cleanup's contracts: the admin request body (feed media ids only), and the per-id results.
import { z } from "zod";
import type { StoredType } from "../cloudinary/admin-api.js";
import { parsePublicId } from "../cloudinary/public-id.js";

// Cloudinary's cap on ids per delete call, and so per admin request.
export const MAX_CLEANUP_IDS = 100;

export function cleanupRequestSchema(folder: string) {
  const publicId = z
    .string()
    .max(255)
    .refine((id) => parsePublicId(folder, id) !== null, `must be a feed media id: ${folder}/u<hash>/<postId>`);
  return z.strictObject({
    publicIds: z
      .array(publicId)
      .min(1)
      .max(MAX_CLEANUP_IDS)
      .transform((ids) => [...new Set(ids)]),
    // Deleting is never the default: a body that does not say `"dryRun": false` only previews.
    dryRun: z.boolean().default(true),
    force: z.boolean().default(false),
  });
}
export type CleanupRequest = z.infer<ReturnType<typeof cleanupRequestSchema>>;

export const CLEANUP_STATUSES = ["deleted", "would_delete", "not_found", "skipped_live", "failed"] as const;
export type CleanupStatus = (typeof CLEANUP_STATUSES)[number];

export interface CleanupResult {
  publicId: string;
  status: CleanupStatus;
  /** Known once Cloudinary has found the media. */
  resourceType?: StoredType;
}

export type CleanupCounts = Record<CleanupStatus, number>;

export function countResults(results: CleanupResult[]): CleanupCounts {
  const counts = Object.fromEntries(CLEANUP_STATUSES.map((status) => [status, 0])) as CleanupCounts;
  for (const { status } of results) counts[status] += 1;
  return counts;
}
