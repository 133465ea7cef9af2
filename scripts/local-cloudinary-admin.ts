// The Admin API calls the media cleanup makes (list by prefix, look up and delete by id), over the dev server's files.
import { readdir, rm, stat } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import type { MediaConfig } from "../lib/env.js";

const ADMIN_PATH = /^\/_cloudinary\/v1_1\/([^/]+)\/resources\/(image|video|raw)\/upload$/;
// Cloudinary's own page cap for listings.
const MAX_RESULTS = 500;

interface LocalFile {
  public_id: string;
  resource_type: string;
  format: string;
  bytes: number;
  created_at: string;
  path: string;
}

/** Answers an Admin API request for the local media store, or returns undefined to let other routes try. */
export function createLocalCloudinaryAdmin(media: MediaConfig, directory: string) {
  const expected = `Basic ${Buffer.from(`${media.apiKey}:${media.apiSecret}`).toString("base64")}`;
  return async (request: Request): Promise<Response | undefined> => {
    const url = new URL(request.url);
    const match = ADMIN_PATH.exec(url.pathname);
    if (!match || (request.method !== "GET" && request.method !== "DELETE")) return undefined;
    if (match[1] !== media.cloudName) return Response.json({ error: { message: "Unknown cloud" } }, { status: 404 });
    if (request.headers.get("authorization") !== expected) {
      return Response.json({ error: { message: "Invalid credentials" } }, { status: 401 });
    }
    const files = await listFiles(join(directory, match[2]), match[2]);
    if (request.method === "DELETE") {
      const ids = new URLSearchParams(await request.text()).getAll("public_ids[]");
      const deleted: Record<string, string> = {};
      for (const id of ids) {
        const file = files.find((candidate) => candidate.public_id === id);
        if (file) await rm(file.path);
        deleted[id] = file ? "deleted" : "not_found";
      }
      return Response.json({ deleted, partial: false });
    }
    const ids = url.searchParams.getAll("public_ids[]");
    const prefix = url.searchParams.get("prefix") ?? "";
    const chosen = files.filter((file) =>
      ids.length > 0 ? ids.includes(file.public_id) : file.public_id.startsWith(prefix),
    );
    const limit = Math.min(Number(url.searchParams.get("max_results") ?? 10) || 10, MAX_RESULTS);
    const offset = Number(url.searchParams.get("next_cursor") ?? 0) || 0;
    const page = chosen
      .slice(offset, offset + limit)
      .map(({ path: _path, ...resource }) => ({ ...resource, type: "upload" }));
    const next = offset + limit < chosen.length ? String(offset + limit) : undefined;
    return Response.json({ resources: page, next_cursor: next });
  };
}

/** Every stored file of one type, its public id being the path under the type folder without the extension. */
async function listFiles(root: string, type: string): Promise<LocalFile[]> {
  const names = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  const files: LocalFile[] = [];
  for (const name of names.sort()) {
    const path = resolve(root, name);
    const info = await stat(path);
    const match = /^(.+)\.([a-z0-9]+)$/.exec(relative(root, path).split(sep).join("/"));
    if (!info.isFile() || !match) continue;
    files.push({
      public_id: match[1],
      resource_type: type,
      format: match[2],
      bytes: info.size,
      created_at: info.mtime.toISOString(),
      path,
    });
  }
  return files;
}
