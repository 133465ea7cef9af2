// Talks to the dev server's HTTP API directly, as another app would, to set up posts without driving a second page.
import type { MediaType, Post } from "../../../lib/schemas.js";

export interface MediaFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

/**
 * Uploads the file to the local media store and publishes it with the caption, as `name` (a new dev sign-in) or as
 * the person a page has signed in (their token).
 */
export async function postThroughApi(
  baseUrl: string,
  author: { name: string } | { token: string },
  text: string,
  file: MediaFile,
): Promise<Post> {
  const call = async (path: string, body: unknown, token?: string) => {
    const headers = { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    const response = await fetch(`${baseUrl}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  };
  const { token } = "token" in author ? author : await call("/api/dev/sign-in", { name: author.name });
  const mediaType: MediaType = file.mimeType.startsWith("video/") ? "video" : "image";
  const { uploadUrl, fields } = await call("/api/feed/upload-signature", { mediaType }, token);
  const form = new FormData();
  for (const [key, value] of Object.entries(fields as Record<string, string>)) form.append(key, value);
  form.append("file", new File([new Uint8Array(file.buffer)], file.name, { type: file.mimeType }));
  const upload = await (await fetch(uploadUrl, { method: "POST", body: form })).json();
  return call("/api/feed", { text, upload }, token);
}

export async function serverPostIds(baseUrl: string): Promise<string[]> {
  const page = (await (await fetch(`${baseUrl}/api/feed?limit=100`)).json()) as { items: Post[] };
  return page.items.map((post) => post.id);
}
