// `ephemeral-feed/node`: the feed as a Node (req, res) listener for any server (Express, Fastify's raw routes,
// node:http), adapted by @hono/node-server, under a path prefix (default /api/feed).
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { errorJson } from "../http/error-response.js";
import { log } from "../log.js";
import { createFeed, type FeedOptions } from "./create-feed.js";

export type { FeedOptions } from "./create-feed.js";

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * `app.use("/api/feed", createRequestListener(options))`. Express hands a mounted listener the path below its mount;
 * the feed routes by the full path (`originalUrl`), so it sees what a browser asked for. The host's global Request and
 * Response are left as they are (no override), so nothing else in the app changes.
 */
export function createRequestListener(options: FeedOptions = {}): RequestListener {
  const listener = getRequestListener(createFeed(options).fetch, { overrideGlobalObjects: false });
  return (req, res) => {
    if (bodyAlreadyRead(req)) {
      log.error("feed_misconfigured", { error: BODY_READ_MESSAGE });
      void sendResponse(res, errorJson("not_configured", "The feed is not set up correctly."));
      return;
    }
    const mounted = req.url;
    const original = (req as { originalUrl?: string }).originalUrl;
    // The adapter reads req.url as it starts, synchronously; the host's router gets its own value back at once.
    if (original) req.url = original;
    void listener(req, res);
    req.url = mounted;
  };
}

const BODY_READ_MESSAGE =
  "A body parser (express.json(), body-parser) read this request before the feed: mount the feed before it, or only on other routes";

/** body-parser marks what it parsed; the feed checks its bodies' bytes itself (size, charset, JSON), so it needs them. */
function bodyAlreadyRead(req: IncomingMessage): boolean {
  return (req as { _body?: boolean })._body === true || (req.method !== "GET" && req.readableEnded);
}

async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}
