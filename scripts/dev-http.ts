// The dev server's listener: it answers only requests addressed to this machine (no DNS rebinding onto the dev
// sign-in), and gives a slow client no longer to send a request than a deployment would.
import { isIP } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { errorJson } from "../lib/http/error-response.js";

type Fetch = (request: Request) => Promise<Response>;

// A deployed function runs at most 15 s (vercel.json's maxDuration), behind an edge that takes at most 4.5 MB of
// body. 10 s to send the whole request is plenty for that, and stops a body trickled a byte at a time holding a
// connection for Node's default of 300 s.
export const DEV_REQUEST_TIMEOUT_MS = 10_000;
// How often Node looks for requests past their time: its default (30 s) would let one overstay by that much.
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;
// Names a browser on this machine uses for it; a rebinding attack arrives with the attacker's name instead.
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
// Listening on every interface: other machines then use one of this machine's addresses.
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::"]);

/**
 * Whether a `Host` header names this server: a loopback name or the HOST it listens on, with its port. With a
 * wildcard HOST any IP address counts too; DNS rebinding needs a name the attacker controls, never an IP literal.
 */
export function isAllowedHost(header: string | null, listenHost: string, port: number): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(header?.toLowerCase() ?? "");
  if (!match) return false;
  const [, name, givenPort = "80"] = match;
  if (Number(givenPort) !== port) return false;
  const listenName = isIP(listenHost) === 6 ? `[${listenHost}]` : listenHost.toLowerCase();
  if (LOOPBACK_NAMES.includes(name) || name === listenName) return true;
  return WILDCARD_HOSTS.has(listenHost) && isIP(name.replace(/^\[(.*)\]$/, "$1")) !== 0;
}

/** `fetch`, answering 421 to a request whose `Host` names another server (a page on a rebound name, say). */
export function withHostCheck(fetch: Fetch, listenHost: string, port: () => number): Fetch {
  return async (request) => {
    if (isAllowedHost(request.headers.get("host"), listenHost, port())) return fetch(request);
    const named = `localhost:${port()}, 127.0.0.1:${port()}, [::1]:${port()} or the HOST it listens on`;
    return errorJson("misdirected_request", `This dev server only answers to ${named}.`);
  };
}

export interface DevListenOptions {
  fetch: Fetch;
  /** 0 picks a free port (tests). */
  port: number;
  hostname: string;
  requestTimeoutMs?: number;
}

/** Starts the listener; resolves with the server and the port it is bound to. */
export function listenDev(options: DevListenOptions): Promise<{ server: ServerType; port: number }> {
  const { fetch, hostname, requestTimeoutMs = DEV_REQUEST_TIMEOUT_MS } = options;
  let port = options.port;
  return new Promise((resolve) => {
    const server = serve(
      {
        fetch: withHostCheck(fetch, hostname, () => port),
        port,
        hostname,
        serverOptions: {
          requestTimeout: requestTimeoutMs,
          headersTimeout: requestTimeoutMs,
          connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, requestTimeoutMs),
        },
      },
      (info) => {
        port = info.port;
        resolve({ server, port });
      },
    );
  });
}
