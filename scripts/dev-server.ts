// `npm run dev`: serves the same api/ handlers as Vercel, the demo page, a dev sign-in and a local media store.
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createApp, useApp } from "../lib/app.js";
import { loadConfig } from "../lib/env.js";
import { ConfigError } from "../lib/errors.js";
import { errorJson } from "../lib/http/error-response.js";
import { listenDev } from "./dev-http.js";
import { createDevSignIn, DEV_SIGN_IN_PATH } from "./dev-sign-in.js";
import { createLocalCloudinary } from "./local-cloudinary.js";
import { withLocalDefaults } from "./local-defaults.js";

type Handler = (request: Request) => Promise<Response>;
interface Route {
  pattern: RegExp;
  module: Record<string, Handler | undefined>;
}

const ROOT = resolve(import.meta.dirname, "..");
const STATIC_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json",
};

/** Vercel's file-system routing: api/feed/index.ts → /api/feed, api/feed/[id].ts → /api/feed/<id>; static first. */
async function loadRoutes(directory: string): Promise<Route[]> {
  const files = (await readdir(directory, { recursive: true })).filter(
    (file) => /\.ts$/.test(file) && !file.endsWith(".d.ts"),
  );
  const routes = await Promise.all(
    files.map(async (file) => {
      const path = `/api/${file.replace(/\.ts$/, "").replace(/(^|\/)index$/, "")}`.replace(/\/$/, "");
      const source = path
        .split("/")
        .map((part) => (/^\[.+\]$/.test(part) ? "[^/]+" : part.replace(/[.*+?^${}()|\\]/g, "\\$&")));
      const module = await import(pathToFileURL(join(directory, file)).href);
      return { pattern: new RegExp(`^${source.join("/")}$`), module, dynamic: path.includes("[") };
    }),
  );
  return routes.sort((a, b) => Number(a.dynamic) - Number(b.dynamic));
}

// Bundles under /client/ carry a content hash in their names (scripts/build-client.mjs): a changed file is a new URL,
// so browsers may keep each one for a year without asking again. vercel.json sends the same header.
const IMMUTABLE = "public, max-age=31536000, immutable";
// Everything else (the page, the SDK's stable alias) is checked on every load, so a deploy shows at once.
const REVALIDATE = "no-cache";

// Served as they are: the page learns the feed's lifetime from GET /api/feed, so nothing is rewritten on the way out.
async function serveStatic(pathname: string): Promise<Response | undefined> {
  const publicDir = join(ROOT, "public");
  const path = resolve(publicDir, `.${pathname === "/" ? "/index.html" : pathname}`);
  if (relative(publicDir, path).startsWith("..")) return undefined;
  const body = await readFile(path).catch(() => undefined);
  if (!body) return undefined;
  const headers = {
    "Content-Type": STATIC_TYPES[extname(path)] ?? "application/octet-stream",
    "Cache-Control": pathname.startsWith("/client/") ? IMMUTABLE : REVALIDATE,
  };
  return new Response(body, { headers });
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = withLocalDefaults(loadConfig());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const app = createApp(config);
  useApp(app);
  const routes = await loadRoutes(join(ROOT, "api"));
  const localMedia =
    config.media.account === "local" ? createLocalCloudinary(config.media, join(ROOT, ".local-media")) : undefined;
  // Deployments never serve this route; the dev server serves it only where it cannot reach real services unasked.
  const signIn = createDevSignIn(config);

  async function route(request: Request): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (pathname === DEV_SIGN_IN_PATH && signIn.handler) return signIn.handler(request);
    const media = await localMedia?.(request);
    if (media) return media;
    const route = routes.find((candidate) => candidate.pattern.test(pathname));
    const handler = route?.module[request.method];
    if (handler) return handler(request);
    if (pathname.startsWith("/api/")) return errorJson("not_found", "No such endpoint.");
    return (await serveStatic(pathname)) ?? new Response("Not found", { status: 404 });
  }

  // The api/ handlers set this themselves; the dev server's own answers (page, media, sign-in) get it here.
  async function fetch(request: Request): Promise<Response> {
    const response = await route(request);
    response.headers.set("X-Content-Type-Options", "nosniff");
    return response;
  }

  await listenDev({ fetch, port: config.port, hostname: config.host });
  const store = config.redis.kind === "memory" ? "in-process store" : `Redis (${config.redis.kind})`;
  const media =
    config.media.account === "local" ? "local media store (.local-media/)" : `Cloudinary (${config.media.cloudName})`;
  const where = `http://localhost:${config.port} (listening on ${config.host})`;
  console.log(`Feed dev server on ${where} · ${store} · ${media} · auth: ${config.auth.kind}`);
  if (signIn.notice) console.log(signIn.notice);
}

await main();
