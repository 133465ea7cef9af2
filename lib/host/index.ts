// `ephemeral-feed`: createFeed and what a host needs to name its options, results and errors.
export type { CleanupResult } from "../admin/cleanup-request.js";
export type { TakedownResult } from "../admin/takedown.js";
export type { Identity } from "../auth.js";
export type { EnvSource } from "../env.js";
export { ConfigError, HttpError, ServiceUnavailableError } from "../errors.js";
export type { Paged } from "../feed/paging.js";
export type { Handler } from "../http/route.js";
export type { RouteName } from "../http/routes.js";
export type { CloudinaryUpload, MediaType, Person, Post, UploadSignature } from "../schemas.js";
export { createFeed, type Feed, type FeedOptions, type RouteMethods } from "./create-feed.js";
export { DEFAULT_BASE_PATH } from "./feed-router.js";
export { type FeedHooks, HOOK_TIMEOUT_MS, type RemovalReason } from "./hooks.js";
export type { HostUser, IdentifyUser } from "./host-identity.js";
export type { HostRedis } from "./host-redis.js";
export type { FeedOperations, PageOptions } from "./operations.js";
