// The feed's use cases for a host that calls them without HTTP (a socket.io handler, a job): the same checks and
// hooks as the routes, with the caller's identity given instead of read from a request.

import type { z } from "zod";
import { type TakedownResult, takeDownPost } from "../admin/takedown.js";
import type { App } from "../app.js";
import { identityFrom } from "../auth.js";
import { HttpError } from "../errors.js";
import type { Paged } from "../feed/paging.js";
import { createPost, deletePost, signUpload } from "../feed/posts.js";
import { readPage, readPeople } from "../feed/reads.js";
import {
  CreatePostRequestSchema,
  FeedQuerySchema,
  type MediaType,
  MediaTypeSchema,
  PeopleQuerySchema,
  type Person,
  type Post,
  type UploadSignature,
} from "../schemas.js";
import type { HostUser } from "./host-identity.js";

/** A page query as values (the HTTP API takes the same fields as strings). */
export interface PageOptions {
  limit?: number;
  cursor?: string;
}

export interface FeedOperations {
  signUpload(user: HostUser, mediaType: MediaType): Promise<UploadSignature>;
  publish(user: HostUser, input: { text: string; upload: unknown }): Promise<{ post: Post; created: boolean }>;
  remove(user: HostUser, id: string): Promise<void>;
  readPage(options?: PageOptions & { author?: string }): Promise<Paged<Post>>;
  readPeople(options?: PageOptions): Promise<Paged<Person>>;
  takeDown(id: string, options?: { deleteMedia?: boolean }): Promise<TakedownResult>;
}

export function createOperations(appOf: () => App): FeedOperations {
  return {
    async signUpload(user, mediaType) {
      const app = appOf();
      const identity = identityOf(user);
      await app.rateLimit("post", identity.userId);
      return signUpload(parse(MediaTypeSchema, mediaType), identity, app.feed);
    },
    async publish(user, input) {
      const app = appOf();
      const outcome = await createPost(parse(CreatePostRequestSchema, input), identityOf(user), app.feed);
      if (outcome.created) await app.events.published(outcome.post);
      return outcome;
    },
    async remove(user, id) {
      const app = appOf();
      await deletePost(id, identityOf(user), app.feed);
      await app.events.removed(id, "deleted");
    },
    readPage: async (options = {}) => readPage(parse(FeedQuerySchema, asQuery(options)), appOf().feed),
    readPeople: async (options = {}) => readPeople(parse(PeopleQuerySchema, asQuery(options)), appOf().feed),
    async takeDown(id, { deleteMedia = false } = {}) {
      const app = appOf();
      const result = await takeDownPost(id, deleteMedia, app.admin.takedown);
      if (!result.alreadyRemoved) await app.events.removed(id, "takedown");
      return result;
    },
  };
}

const identityOf = (user: HostUser) => identityFrom({ sub: user.userId, username: user.username });

/** The query schemas read strings, as a URL carries them. */
function asQuery(options: PageOptions & { author?: string }): Record<string, string> {
  return Object.fromEntries(
    Object.entries(options).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])),
  );
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`);
  throw new HttpError("invalid_request", details.join("; "));
}
