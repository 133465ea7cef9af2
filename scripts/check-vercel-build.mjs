// Proves a git push deploys: runs `vercel build` offline and checks every API route is a function that answers.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

// Each route of the HTTP API and the function Vercel must build for it.
const EXPECTED = {
  "/api/feed": "api/feed/index",
  "/api/feed/upload-signature": "api/feed/upload-signature",
  "/api/feed/people": "api/feed/people",
  "/api/feed/<id>": "api/feed/[id]",
  "/api/admin/media-cleanup": "api/admin/media-cleanup",
  "/api/admin/posts/<id>": "api/admin/posts/[id]",
};

// `vercel build` needs a linked project; this stub is all it reads offline (nodeVersion 20.x is refused as retired).
if (!existsSync(".vercel/project.json")) {
  mkdirSync(".vercel", { recursive: true });
  writeFileSync(
    ".vercel/project.json",
    JSON.stringify({ projectId: "prj_local", orgId: "team_local", settings: { framework: null, nodeVersion: "24.x" } }),
  );
}
execFileSync("npx", ["vercel", "build", "--yes"], { stdio: ["ignore", "inherit", "inherit"] });

const failures = [];
for (const [path, fn] of Object.entries(EXPECTED)) {
  const dir = `.vercel/output/functions/${fn}.func`;
  const config = existsSync(`${dir}/.vc-config.json`) && JSON.parse(readFileSync(`${dir}/.vc-config.json`, "utf8"));
  if (!config) {
    failures.push(`${path}: no function at ${dir}`);
    continue;
  }
  // The built code answers like the source does: OPTIONS is handled by every route without touching Redis.
  const module = await import(pathToFileURL(`${dir}/${config.handler}`).href);
  const response = await module.OPTIONS(
    new Request(`http://localhost${path.replace("<id>", "x")}`, { method: "OPTIONS" }),
  );
  if (response.status !== 204 || !response.headers.get("allow"))
    failures.push(`${path}: OPTIONS answered ${response.status}`);
  else console.log(`ok ${path} → ${fn}.func (${config.runtime}), Allow: ${response.headers.get("allow")}`);
  if (path === "/api/feed") {
    // A full read through the bundled code (env, store, feed), on the in-process store since no Redis is set here.
    const page = await module.GET(new Request("http://localhost/api/feed"));
    if (page.status !== 200) failures.push(`GET /api/feed answered ${page.status}`);
  }
}
const routes = JSON.parse(readFileSync(".vercel/output/config.json", "utf8")).routes;
for (const dest of ["/api/feed/[id]?id=$1", "/api/admin/posts/[id]?id=$1"]) {
  if (!routes.some((route) => route.dest === dest)) failures.push(`no dynamic route for ${dest}`);
}
if (JSON.parse(readFileSync(".vercel/output/config.json", "utf8")).crons?.length) failures.push("a cron is configured");
if (failures.length > 0) {
  console.error(`vercel build check failed:\n- ${failures.join("\n- ")}`);
  process.exit(1);
}
console.log("vercel build check passed");
