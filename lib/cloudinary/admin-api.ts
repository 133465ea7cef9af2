// Cloudinary's Admin API over fetch (list, look up, delete uploaded media), bounded by a timeout; failures are 503s.
import { z } from "zod";
import type { MediaConfig } from "../env.js";
import { ServiceUnavailableError } from "../errors.js";
import { MEDIA_TYPES } from "../schemas.js";
import { cloudinaryNotConfigured } from "./upload-signer.js";

// The Admin API answers in well under a second; 4 s keeps a cleanup's calls (a lookup, then the image and video
// deletes in parallel) inside the function's 15 s maxDuration even when Cloudinary hangs.
export const ADMIN_TIMEOUT_MS = 4000;
// Cloudinary's own caps: at most 100 public ids per lookup or delete, at most 500 resources per listing page.
export const MAX_IDS_PER_CALL = 100;
export const MAX_LIST_PAGE = 500;

/**
 * The types media can be stored as under the feed folder. Posts are images or videos, but Cloudinary's upload signature
 * does not cover the type, so a client can send a signed upload to `/raw/upload`: such files can never be posted, and
 * the cleanup finds and deletes them like any other leftover.
 */
export const STORED_TYPES = [...MEDIA_TYPES, "raw"] as const;
export type StoredType = (typeof STORED_TYPES)[number];

export interface StoredMedia {
  publicId: string;
  resourceType: StoredType;
  createdAt: string;
  bytes: number;
}
export interface MediaPage {
  resources: StoredMedia[];
  nextCursor?: string;
}
export type DeleteOutcome = "deleted" | "not_found" | "failed";

export interface CloudinaryAdmin {
  /** One page of uploaded media of one type whose public id starts with `prefix`. */
  listMedia(type: StoredType, prefix: string, cursor?: string): Promise<MediaPage>;
  /** The given public ids (at most 100) that exist as this type; missing ones are simply absent. */
  findMedia(type: StoredType, publicIds: string[]): Promise<StoredMedia[]>;
  /** Deletes at most 100 public ids of one type; Cloudinary needs the right type to find them. */
  deleteMedia(type: StoredType, publicIds: string[]): Promise<Record<string, DeleteOutcome>>;
}

/** Cloudinary answered 420/429: a 503 for HTTP callers, and a wait the batch command can honour. */
export class CloudinaryRateLimitError extends ServiceUnavailableError {
  constructor(
    readonly retryAfterMs: number | undefined,
    options?: { cause?: unknown },
  ) {
    super("cloudinary", options);
    this.name = "CloudinaryRateLimitError";
  }
}

const ResourceSchema = z
  .object({
    public_id: z.string(),
    resource_type: z.enum(STORED_TYPES),
    created_at: z.string(),
    bytes: z.number().default(0),
  })
  .transform((r) => ({
    publicId: r.public_id,
    resourceType: r.resource_type,
    createdAt: r.created_at,
    bytes: r.bytes,
  }));
const ListSchema = z.object({ resources: z.array(ResourceSchema), next_cursor: z.string().nullish() });
const DeleteSchema = z.object({ deleted: z.record(z.string(), z.string()) });

export interface CloudinaryAdminOptions {
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

export function createCloudinaryAdmin(media: MediaConfig, deps: CloudinaryAdminOptions = {}): CloudinaryAdmin {
  // Resolved per call, so a fetch patched after start-up (msw in tests) is the one used.
  const send = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const now = deps.now ?? Date.now;
  const timeoutMs = deps.timeoutMs ?? ADMIN_TIMEOUT_MS;
  const authorization = `Basic ${Buffer.from(`${media.apiKey}:${media.apiSecret}`).toString("base64")}`;

  async function call(method: "GET" | "DELETE", type: StoredType, params: URLSearchParams): Promise<unknown> {
    if (media.account === "none") throw cloudinaryNotConfigured();
    const path = `resources/${type}/upload`;
    const url = `${media.apiBase}/v1_1/${encodeURIComponent(media.cloudName)}/${path}`;
    const what = `Cloudinary Admin API ${method} ${path}`;
    let response: Response;
    try {
      const init: RequestInit = {
        method,
        headers: { Authorization: authorization },
        signal: AbortSignal.timeout(timeoutMs),
      };
      if (method === "GET") response = await send(`${url}?${params}`, init);
      else response = await send(url, { ...init, body: params });
      if (response.status === 420 || response.status === 429) {
        const cause = new Error(`${what} answered ${response.status} (rate limited)`);
        throw new CloudinaryRateLimitError(requestedWaitMs(response.headers, now()), { cause });
      }
      // Cloudinary's error text stays out of messages: only the status reaches the logs.
      if (!response.ok) throw new Error(`${what} answered ${response.status}`);
      return await response.json();
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw error;
      throw new ServiceUnavailableError("cloudinary", { cause: error });
    }
  }

  function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new ServiceUnavailableError("cloudinary", { cause: new Error(`unexpected ${what} response`) });
  }

  return {
    async listMedia(type, prefix, cursor) {
      const params = new URLSearchParams({ prefix, max_results: String(MAX_LIST_PAGE) });
      if (cursor) params.set("next_cursor", cursor);
      const page = parse(ListSchema, await call("GET", type, params), "listing");
      return { resources: page.resources, nextCursor: page.next_cursor ?? undefined };
    },

    async findMedia(type, publicIds) {
      if (publicIds.length === 0) return [];
      const params = idParams(publicIds);
      params.set("max_results", String(MAX_IDS_PER_CALL));
      return parse(ListSchema, await call("GET", type, params), "lookup").resources;
    },

    async deleteMedia(type, publicIds) {
      if (publicIds.length === 0) return {};
      const params = idParams(publicIds);
      // Also purge Cloudinary's CDN, which otherwise keeps serving deleted media for up to 30 days.
      // https://cloudinary.com/documentation/admin_api#delete_resources
      params.set("invalidate", "true");
      const { deleted } = parse(DeleteSchema, await call("DELETE", type, params), "delete");
      // An id Cloudinary did not report on, or reported oddly, counts as failed rather than as done.
      return Object.fromEntries(publicIds.map((id) => [id, outcomeOf(deleted[id])]));
    },
  };
}

function idParams(publicIds: string[]): URLSearchParams {
  if (publicIds.length > MAX_IDS_PER_CALL) throw new RangeError(`at most ${MAX_IDS_PER_CALL} public ids per call`);
  return new URLSearchParams(publicIds.map((id) => ["public_ids[]", id]));
}

function outcomeOf(reported: string | undefined): DeleteOutcome {
  return reported === "deleted" || reported === "not_found" ? reported : "failed";
}

/** How long Cloudinary asks us to wait: `Retry-After` (seconds or a date), else `X-FeatureRateLimit-Reset` (a date). */
export function requestedWaitMs(headers: Headers, nowMs: number): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  for (const value of [retryAfter, headers.get("x-featureratelimit-reset")]) {
    const at = value ? Date.parse(value) : Number.NaN;
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  return undefined;
}
