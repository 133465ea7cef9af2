// The package's core: the feed app for a host, built from explicit options or from the environment as the standalone
// project builds it, with its route handlers, one handler for the whole mount, and the use cases without HTTP.
import { type App, createApp } from "../app.js";
import { type EnvSource, loadConfig, readEnvironment } from "../env.js";
import { type Handler, route } from "../http/route.js";
import { ROUTES, type RouteName } from "../http/routes.js";
import { DEFAULT_BASE_PATH, routeRequests } from "./feed-router.js";
import { boundedEvents, type FeedHooks } from "./hooks.js";
import { hostIdentity, type IdentifyUser } from "./host-identity.js";
import { type HostRedis, storeForClient } from "./host-redis.js";
import { createOperations, type FeedOperations } from "./operations.js";

export interface FeedOptions extends FeedHooks {
  /** The variables of the configuration table (README), instead of the process's environment and .env files. */
  env?: EnvSource;
  /** The host's own Redis client, shared with it; REDIS_URL and UPSTASH_* are then not read. */
  redis?: HostRedis;
  /** The host's own way of knowing the user, instead of verifying a JWT; AUTH_* are then not needed. */
  identify?: IdentifyUser;
  /** Where the host mounts the feed's routes (default /api/feed, where the browser client calls them). */
  basePath?: string;
}

/** Every method Vercel routes, each answered by the route (405 with `Allow` for the ones it does not serve). */
export type RouteMethods = Record<"GET" | "HEAD" | "OPTIONS" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>;

export interface Feed {
  /** By route: feed (GET/POST), people (GET), uploadSignature (POST), post (DELETE), adminPosts, mediaCleanup. */
  handlers: Record<RouteName, RouteMethods>;
  /** Every route under `basePath`, for a host that gives the feed one path; anything else there is a JSON 404. */
  fetch: Handler;
  /** The use cases without HTTP, with the same checks and hooks. */
  operations: FeedOperations;
}

/**
 * Nothing is built until the first request or operation: a build step that loads the module (`next build`) needs no
 * configuration, and a bad one is answered as `500 not_configured` with every problem in the log, as on Vercel.
 */
export function createFeed(options: FeedOptions = {}): Feed {
  let app: App | undefined;
  return feedOver(() => {
    app ??= buildApp(options);
    return app;
  }, options.basePath);
}

/** The feed over an app resolved per request: createFeed's, or the standalone project's (lib/app.ts getApp). */
export function feedOver(appOf: () => App, basePath = DEFAULT_BASE_PATH): Feed {
  const handlers = Object.fromEntries(
    Object.entries(ROUTES).map(([name, handlers]) => [name, route(appOf, handlers)]),
  ) as Record<RouteName, RouteMethods>;
  const byName = Object.fromEntries(Object.entries(handlers).map(([name, methods]) => [name, methods.GET])) as Record<
    RouteName,
    Handler
  >;
  return { handlers, fetch: routeRequests(byName, basePath), operations: createOperations(appOf) };
}

function buildApp(options: FeedOptions): App {
  const config = loadConfig(options.env ?? readEnvironment(), {
    redis: options.redis !== undefined,
    auth: options.identify !== undefined,
  });
  const store = options.redis ? storeForClient(options.redis, config.redisTimeoutMs) : undefined;
  return createApp(config, store ? { store } : {}, {
    identify: options.identify && hostIdentity(options.identify),
    events: boundedEvents(options),
  });
}
