// Every route's handler bodies, one entry per route, moved verbatim from api/: api/ (the standalone Vercel project)
// and the package's host entries (lib/host/) serve these same bodies, each through route() with its own app.
import { type AdminCaller, requireAdmin } from "../admin/admin-auth.js";
import { cleanupRequestSchema, countResults } from "../admin/cleanup-request.js";
import { auditCleanup, cleanupByIds } from "../admin/media-cleanup.js";
import { auditTakedown, takeDownPost } from "../admin/takedown.js";
import type { App } from "../app.js";
import type { PageAnswer } from "../feed/page-answer.js";
import { createPost, deletePost, type FeedDeps, signUpload } from "../feed/posts.js";
import { answerFeed, answerPeople } from "../feed/reads.js";
import {
  CreatePostRequestSchema,
  FeedQuerySchema,
  PeopleQuerySchema,
  TakedownQuerySchema,
  UploadSignatureRequestSchema,
} from "../schemas.js";
import { clientAddress } from "./client-address.js";
import { json, readJson, readQuery } from "./json.js";
import { pageResponse, withSyncToken } from "./page-cache.js";
import type { RequestContext, RouteHandlers } from "./route.js";
import { postIdParam } from "./route-params.js";

/** The feed's routes by name; each name is one api/ file (and one entry of createFeed's `handlers`). */
export type RouteName = "feed" | "people" | "uploadSignature" | "post" | "adminPosts" | "mediaCleanup";

// GET /api/feed[?author=]: a page of live posts (or one person's), newest first. POST /api/feed: publish a verified Cloudinary upload.
const feed: RouteHandlers<App> = {
  async GET(request, app, context) {
    await app.admitRead(request);
    return servePage(request, app, context, readQuery(request, FeedQuerySchema), answerFeed);
  },

  async POST(request, app) {
    // No counter here: publishing needs a signature, and signing charged the post quota (one round trip saved).
    const identity = await app.identify(request);
    const { post, created } = await createPost(await readJson(request, CreatePostRequestSchema), identity, app.feed);
    if (created) await app.events.published(post);
    // A retried publish of the same upload gets the stored post again, as a 200.
    return withSyncToken(json(post, created ? 201 : 200), app.pages.syncToken());
  },
};

// GET /api/feed/people: people with live posts, by their newest post, newest first (a stories tray).
const people: RouteHandlers<App> = {
  async GET(request, app, context) {
    await app.admitRead(request);
    return servePage(request, app, context, readQuery(request, PeopleQuerySchema), answerPeople);
  },
};

/**
 * A page read: public pages from the shared store (a read replica on Upstash), a writer's own reads right after their
 * write (`sync`) from one that waits for that write, answered privately; a 304 when the caller's copy is current.
 */
async function servePage<Q extends { sync?: string }, T>(
  request: Request,
  app: App,
  context: RequestContext,
  query: Q,
  answer: (query: Q, ifNoneMatch: string | null, deps: FeedDeps) => Promise<PageAnswer<T>>,
): Promise<Response> {
  const store = query.sync ? app.pages.afterWrite(query.sync) : app.pages.shared;
  const answered = await answer(query, request.headers.get("if-none-match"), { ...app.feed, store });
  const { readRequiresAuth, cdn } = app.config;
  const policy = { readRequiresAuth, cdn, personal: query.sync !== undefined };
  return pageResponse(answered, policy, app.feed.now(), context);
}

// POST /api/feed/upload-signature: parameters, signed by the server, for one direct upload to Cloudinary.
const uploadSignature: RouteHandlers<App> = {
  async POST(request, app) {
    const identity = await app.identify(request);
    // Each signature is a post to come: the quota is charged here, so a refusal comes before the upload, not after.
    await app.rateLimit("post", identity.userId);
    const { mediaType } = await readJson(request, UploadSignatureRequestSchema);
    // route() marks every POST's answer no-store: a signature is for this caller and this minute only.
    return json(signUpload(mediaType, identity, app.feed));
  },
};

// DELETE /api/feed/<id>: the author removes their post before it expires (its media stays on Cloudinary).
const post: RouteHandlers<App> = {
  async DELETE(request, app) {
    const identity = await app.identify(request);
    const id = postIdParam(request);
    await deletePost(id, identity, app.feed);
    await app.events.removed(id, "deleted");
    return withSyncToken(new Response(null, { status: 204 }), app.pages.syncToken());
  },
};

// DELETE /api/admin/posts/<id>[?media=delete]: a moderator takes down anyone's live post at once.
const adminPosts: RouteHandlers<App> = {
  async DELETE(request, app, { requestId }) {
    const caller = admitAdmin(request, app);
    const id = postIdParam(request);
    const { media } = readQuery(request, TakedownQuerySchema);
    const result = await takeDownPost(id, media === "delete", app.admin.takedown);
    auditTakedown(caller, result, app.feed.now(), requestId);
    if (!result.alreadyRemoved) await app.events.removed(id, "takedown");
    return new Response(null, { status: 204 });
  },
};

// POST /api/admin/media-cleanup: an operator deletes, or previews deleting, feed media on Cloudinary by public id.
const mediaCleanup: RouteHandlers<App> = {
  async POST(request, app, { requestId }) {
    const caller = admitAdmin(request, app);
    const input = await readJson(request, cleanupRequestSchema(app.config.media.folder));
    const results = await cleanupByIds(input, app.admin.cleanup);
    const counts = countResults(results);
    auditCleanup(caller, input, results, counts, app.feed.now(), requestId);
    const body = { dryRun: input.dryRun, force: input.force, counts, results };
    return json(body); // no-store, as for every POST (lib/http/route.ts)
  },
};

/** The admin caller or its refusal; the edge reads the caller's address, for the audit line, from its proxy headers. */
function admitAdmin(request: Request, app: App): AdminCaller {
  return requireAdmin(request, app.config.adminToken, clientAddress(request, app.config.proxy));
}

export const ROUTES: Record<RouteName, RouteHandlers<App>> = {
  feed,
  people,
  uploadSignature,
  post,
  adminPosts,
  mediaCleanup,
};
