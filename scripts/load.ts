// `npm run load -- --url http://127.0.0.1:3000 --seconds 10 --readers 50 --writers 5`: concurrent readers and
// writers against a local `npm run dev` for a bounded time; prints throughput, latency percentiles and errors.
import { parseArgs } from "node:util";

// Hard bounds, so a typo cannot turn a load test into a flood.
const MAX = { seconds: 600, readers: 1000, writers: 100, requests: 1_000_000 };
// Load is only ever sent to this machine (the dev server, and its local Cloudinary stand-in).
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
// A request slower than this counts as an error ("timeout") instead of stalling a worker.
const REQUEST_TIMEOUT_MS = 10_000;
// Every Nth read follows the first page's cursor, so paging is part of the mix.
const FOLLOW_CURSOR_EVERY = 4;
// A 1×1 PNG: the smallest file the local Cloudinary stand-in accepts as an image.
const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

type Options = ReturnType<typeof readOptions>;

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: "string", default: "http://127.0.0.1:3000" },
      seconds: { type: "string", default: "10" },
      readers: { type: "string", default: "50" },
      writers: { type: "string", default: "5" },
      "max-requests": { type: "string", default: "200000" },
    },
  });
  const count = (name: string, value: string, min: number, max: number) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new Error(`--${name} must be ${min}–${max}`);
    return parsed;
  };
  return {
    url: loopbackUrl(values.url),
    seconds: count("seconds", values.seconds, 1, MAX.seconds),
    readers: count("readers", values.readers, 0, MAX.readers),
    writers: count("writers", values.writers, 0, MAX.writers),
    maxRequests: count("max-requests", values["max-requests"], 1, MAX.requests),
  };
}

function loopbackUrl(value: string): URL {
  const url = new URL(value);
  if (!/^https?:$/.test(url.protocol) || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error(`${url.origin} is not this machine: load only runs against 127.0.0.1 / localhost`);
  }
  return url;
}

// Report rows: the readers' requests, then a writer's steps in the order it takes them.
const OPERATIONS = {
  read: "GET /api/feed",
  nextPage: "GET /api/feed (next page)",
  signIn: "POST /api/dev/sign-in",
  sign: "POST /api/feed/upload-signature",
  upload: "upload (local Cloudinary)",
  post: "POST /api/feed",
} as const;
type Operation = (typeof OPERATIONS)[keyof typeof OPERATIONS];

type Outcome = number | "timeout" | "network";
interface Answer {
  status: number;
  body: string;
  retryAfter?: string | null;
}
interface Tally {
  times: number[];
  outcomes: Map<Outcome, number>;
}
const stats = new Map<Operation, Tally>();
let sent = 0;

/** One timed request, recorded under `label`; the body is read in full, as part of the latency. */
async function timed(label: Operation, url: URL | string, init: RequestInit = {}): Promise<Answer> {
  sent += 1;
  const entry: Tally = stats.get(label) ?? { times: [], outcomes: new Map() };
  stats.set(label, entry);
  const started = performance.now();
  let outcome: Outcome = "network";
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = await response.text();
    outcome = response.status;
    entry.times.push(performance.now() - started);
    return { status: response.status, body, retryAfter: response.headers.get("retry-after") };
  } catch (error) {
    outcome = error instanceof DOMException && error.name === "TimeoutError" ? "timeout" : "network";
    return { status: 0, body: "" };
  } finally {
    entry.outcomes.set(outcome, (entry.outcomes.get(outcome) ?? 0) + 1);
  }
}

const jsonInit = (body: unknown, token?: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runReader(options: Options, running: () => boolean): Promise<void> {
  for (let i = 1; running(); i += 1) {
    const first = await timed(OPERATIONS.read, new URL("/api/feed?limit=20", options.url));
    if (i % FOLLOW_CURSOR_EVERY !== 0 || first.status !== 200 || !running()) continue;
    const cursor = (JSON.parse(first.body) as { nextCursor: string | null }).nextCursor;
    if (cursor) await timed(OPERATIONS.nextPage, new URL(`/api/feed?limit=20&cursor=${cursor}`, options.url));
  }
}

/** The browser's flow, per post: a signature from the API, the upload to (local) Cloudinary, then the post. */
async function runWriter(options: Options, index: number, running: () => boolean): Promise<void> {
  const api = (path: string) => new URL(path, options.url);
  const signIn = await timed(OPERATIONS.signIn, api("/api/dev/sign-in"), jsonInit({ name: `load-${index}` }));
  if (signIn.status !== 200)
    throw new Error(`dev sign-in answered ${signIn.status}: start \`npm run dev\` without AUTH_*`);
  const { token } = JSON.parse(signIn.body) as { token: string };
  while (running()) {
    const signing = await timed(
      OPERATIONS.sign,
      api("/api/feed/upload-signature"),
      jsonInit({ mediaType: "image" }, token),
    );
    if (signing.status !== 200) {
      await backOff(signing, running);
      continue;
    }
    const { uploadUrl, fields } = JSON.parse(signing.body) as { uploadUrl: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append("file", new Blob([TINY_PNG], { type: "image/png" }), "load.png");
    const upload = await timed(OPERATIONS.upload, loopbackUrl(uploadUrl), { method: "POST", body: form });
    if (upload.status !== 200) {
      await backOff(upload, running);
      continue;
    }
    const body = { text: `load ${index}`, upload: JSON.parse(upload.body) };
    const post = await timed(OPERATIONS.post, api("/api/feed"), jsonInit(body, token));
    if (post.status !== 201) await backOff(post, running);
  }
}

/** After a refusal (429, 503, ...), waits as told by Retry-After (else 1 s), as a well-behaved client would. */
async function backOff(answer: Answer, running: () => boolean): Promise<void> {
  const seconds = Number(answer.retryAfter ?? 1) || 1;
  const until = performance.now() + seconds * 1000;
  while (running() && performance.now() < until) await sleep(100);
}

const percentile = (sorted: number[], p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? Number.NaN;
const COLUMNS = [32, 8, 9, 9, 9, 9];
const line = (cells: (string | number)[], errors: string) =>
  `${cells.map((cell, i) => (i === 0 ? String(cell).padEnd(COLUMNS[i]) : String(cell).padStart(COLUMNS[i]))).join("")}  ${errors}`;

/** Prints one row per operation; false when anything failed on the server's side or the network's. */
function report(options: Options, seconds: number): boolean {
  const { origin } = options.url;
  const lines = [
    `Load: ${seconds.toFixed(1)} s against ${origin}, ${options.readers} readers, ${options.writers} writers`,
    line(["operation", "ok", "req/s", "p50 ms", "p95 ms", "p99 ms"], "errors"),
  ];
  let failed = false;
  for (const label of Object.values(OPERATIONS)) {
    const { times, outcomes } = stats.get(label) ?? { times: [], outcomes: new Map() };
    const sorted = [...times].sort((a, b) => a - b);
    const ok = [...outcomes].filter(([o]) => typeof o === "number" && o < 400).reduce((sum, [, n]) => sum + n, 0);
    const errors = [...outcomes].filter(([o]) => typeof o !== "number" || o >= 400);
    failed ||= errors.some(([o]) => typeof o !== "number" || o >= 500);
    const latencies = [50, 95, 99].map((p) => percentile(sorted, p).toFixed(1));
    lines.push(
      line([label, ok, (ok / seconds).toFixed(1), ...latencies], errors.map(([o, n]) => `${o}×${n}`).join(" ") || "-"),
    );
  }
  const published = stats.get(OPERATIONS.post)?.outcomes.get(201) ?? 0;
  lines.push(`posts published: ${published} (${(published / seconds).toFixed(1)}/s); requests sent: ${sent}`);
  process.stdout.write(`${lines.join("\n")}\n`);
  return !failed;
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2));
  const probe = await fetch(new URL("/api/feed?limit=1", options.url)).catch(() => undefined);
  await probe?.text();
  if (probe?.status !== 200)
    throw new Error(`${options.url.origin}/api/feed does not answer 200: start \`npm run dev\``);
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  const running = () => performance.now() < deadline && sent < options.maxRequests;
  await Promise.all([
    ...Array.from({ length: options.readers }, () => runReader(options, running)),
    ...Array.from({ length: options.writers }, (_, i) => runWriter(options, i + 1, running)),
  ]);
  // Ok when nothing failed on the server's side or the network's (4xx such as 429 are reported, not fatal).
  return report(options, (performance.now() - started) / 1000) ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
