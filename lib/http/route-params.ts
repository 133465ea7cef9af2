// The `[id]` of a dynamic route, as Vercel passes it: the path's last segment, or `?id=` when the path was rewritten.
import { HttpError } from "../errors.js";
import { POST_ID_PATTERN } from "../schemas.js";

/** The post id the request names, or a 404 for anything that cannot be one (so nothing else reaches Redis). */
export function postIdParam(request: Request): string {
  const url = new URL(request.url);
  const id = url.searchParams.get("id") ?? url.pathname.split("/").pop() ?? "";
  if (!POST_ID_PATTERN.test(id)) throw new HttpError(404, "not_found", "No live post has this id.");
  return id;
}
