// The feed's HTTP contract against a running host, as a browser would use it: sign, upload to the Cloudinary
// stand-in, publish (and publish again), read the page and the people, delete.
import { expect } from "vitest";
import type { Post } from "../../../lib/schemas.js";

// The first bytes of a PNG: the stand-in judges the format by the file's name and type, the feed by Cloudinary's answer.
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

export interface Caller {
  headers: Record<string, string>;
  userId: string;
}

async function call(baseUrl: string, path: string, caller: Caller, init: RequestInit = {}): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { ...init, headers: { ...caller.headers, ...(init.headers ?? {}) } });
}

const postJson = (baseUrl: string, path: string, caller: Caller, body: unknown) =>
  call(baseUrl, path, caller, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** Sign → upload → publish as `caller`; the 201 post (a second publish of the same upload answers it as a 200). */
export async function publishThroughHost(
  baseUrl: string,
  caller: Caller,
  text: string,
  onSend: () => void = () => {},
): Promise<Post> {
  const signed = await postJson(baseUrl, "/api/feed/upload-signature", caller, { mediaType: "image" });
  expect(signed.status).toBe(200);
  const { uploadUrl, fields } = await signed.json();
  const form = new FormData();
  for (const [name, value] of Object.entries(fields as Record<string, string>)) form.append(name, value);
  form.append("file", new File([PNG], "photo.png", { type: "image/png" }));
  const uploaded = await fetch(uploadUrl, { method: "POST", body: form });
  expect(uploaded.status).toBe(200);
  const upload = await uploaded.json();
  onSend();
  const created = await postJson(baseUrl, "/api/feed", caller, { text, upload });
  expect(created.status).toBe(201);
  const post: Post = await created.json();
  expect(post).toMatchObject({ userId: caller.userId, text, mediaType: "image" });
  const again = await postJson(baseUrl, "/api/feed", caller, { text, upload });
  expect(again.status).toBe(200);
  expect(await again.json()).toEqual(post);
  return post;
}

/** The whole contract: anonymous writes refused, the post on the page and in the tray, then deleted by its author. */
export async function checkFeedContract(baseUrl: string, caller: Caller, anonymous: Caller): Promise<void> {
  const refused = await postJson(baseUrl, "/api/feed/upload-signature", anonymous, { mediaType: "image" });
  expect(refused.status).toBe(401);
  const post = await publishThroughHost(baseUrl, caller, "from the contract");
  const page = await (await call(baseUrl, "/api/feed?limit=20", anonymous)).json();
  expect(page.items.map((item: Post) => item.id)).toContain(post.id);
  expect(page.ttlSeconds).toBe(3600);
  const people = await (await call(baseUrl, "/api/feed/people", anonymous)).json();
  expect(people.items.find((person: { userId: string }) => person.userId === caller.userId)?.latest.id).toBe(post.id);
  const theirs = await (await call(baseUrl, `/api/feed?author=${encodeURIComponent(caller.userId)}`, anonymous)).json();
  expect(theirs.items[0].id).toBe(post.id);
  const removed = await call(baseUrl, `/api/feed/${post.id}`, caller, { method: "DELETE" });
  expect(removed.status).toBe(204);
  const after = await (await call(baseUrl, `/api/feed?author=${encodeURIComponent(caller.userId)}`, anonymous)).json();
  expect(after.items.map((item: Post) => item.id)).not.toContain(post.id);
  const unknown = await call(baseUrl, "/api/feed/people/extra", anonymous);
  expect(unknown.status).toBe(404);
}
