// msw handlers standing in for Cloudinary's Admin API (list, look up, delete per type), recording every call.
import { HttpResponse, http } from "msw";
import type { StoredType } from "../../lib/cloudinary/admin-api.js";
import type { MediaConfig } from "../../lib/env.js";

export interface FakeMedia {
  publicId: string;
  type: StoredType;
  createdAt: string;
  bytes?: number;
}

export interface AdminCall {
  method: "GET" | "DELETE";
  type: string;
  ids: string[];
  prefix: string | null;
  cursor: string | null;
  /** DELETE only: whether Cloudinary was asked to purge its CDN too. */
  invalidate?: boolean;
}

/** A scripted answer for the next matching call, such as a 420 with rate-limit headers. */
type Override = { status: number; headers?: Record<string, string>; body?: unknown; method?: "GET" | "DELETE" };

export function createFakeCloudinary(media: MediaConfig, options: { pageSize?: number } = {}) {
  const stored = new Map<string, FakeMedia>();
  const calls: AdminCall[] = [];
  const overrides: Override[] = [];
  /** Ids Cloudinary reports oddly on delete, to exercise the "failed" outcome. */
  const failing = new Set<string>();
  const pageSize = options.pageSize ?? 500;
  const expectedAuth = `Basic ${Buffer.from(`${media.apiKey}:${media.apiSecret}`).toString("base64")}`;
  const url = `${media.apiBase}/v1_1/${media.cloudName}/resources/:type/upload`;
  const key = (type: string, publicId: string) => `${type}:${publicId}`;
  const resource = (item: FakeMedia) => ({
    public_id: item.publicId,
    resource_type: item.type,
    type: "upload",
    format: { image: "jpg", video: "mp4", raw: "bin" }[item.type],
    created_at: item.createdAt,
    bytes: item.bytes ?? 1000,
  });

  function scripted(method: "GET" | "DELETE"): Response | undefined {
    const index = overrides.findIndex((override) => !override.method || override.method === method);
    if (index < 0) return undefined;
    const [override] = overrides.splice(index, 1);
    return HttpResponse.json(override.body ?? { error: { message: "scripted" } }, override);
  }

  const handlers = [
    http.get(url, ({ request, params }) => {
      const query = new URL(request.url).searchParams;
      const ids = query.getAll("public_ids[]");
      const call: AdminCall = {
        method: "GET",
        type: String(params.type),
        ids,
        prefix: query.get("prefix"),
        cursor: query.get("next_cursor"),
      };
      calls.push(call);
      if (request.headers.get("authorization") !== expectedAuth) return HttpResponse.json({}, { status: 401 });
      const answer = scripted("GET");
      if (answer) return answer;
      const ofType = [...stored.values()].filter((item) => item.type === call.type);
      if (ids.length > 0)
        return HttpResponse.json({ resources: ofType.filter((i) => ids.includes(i.publicId)).map(resource) });
      const matching = ofType.filter((item) => item.publicId.startsWith(call.prefix ?? ""));
      const offset = Number(call.cursor ?? 0);
      const next = offset + pageSize < matching.length ? String(offset + pageSize) : undefined;
      return HttpResponse.json({
        resources: matching.slice(offset, offset + pageSize).map(resource),
        ...(next ? { next_cursor: next } : {}),
      });
    }),
    http.delete(url, async ({ request, params }) => {
      const form = new URLSearchParams(await request.text());
      const ids = form.getAll("public_ids[]");
      const invalidate = form.get("invalidate") === "true";
      calls.push({ method: "DELETE", type: String(params.type), ids, prefix: null, cursor: null, invalidate });
      if (request.headers.get("authorization") !== expectedAuth) return HttpResponse.json({}, { status: 401 });
      const answer = scripted("DELETE");
      if (answer) return answer;
      const deleted: Record<string, string> = {};
      for (const id of ids) {
        if (failing.has(id)) continue;
        deleted[id] = stored.delete(key(String(params.type), id)) ? "deleted" : "not_found";
      }
      return HttpResponse.json({ deleted, partial: false });
    }),
  ];

  return {
    handlers,
    calls,
    failing,
    add(...items: FakeMedia[]) {
      for (const item of items) stored.set(key(item.type, item.publicId), item);
    },
    has(type: StoredType, publicId: string) {
      return stored.has(key(type, publicId));
    },
    /** The next call (of this method, if given) gets this answer instead. */
    script(override: Override) {
      overrides.push(override);
    },
    deletes() {
      return calls.filter((call) => call.method === "DELETE");
    },
  };
}
export type FakeCloudinary = ReturnType<typeof createFakeCloudinary>;
