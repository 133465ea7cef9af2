// A minimal Upstash REST endpoint in front of a real redis-server, so @upstash/redis runs against real Redis semantics.
// It speaks what the SDK sends: POST / (one command), /pipeline and /multi-exec, bearer auth, base64 response encoding.
// Scripts get Upstash's key-locking rules: a `#!lua flags=allow-key-locking` first line is accepted (Redis 7 refuses
// it, so it is taken off before Redis sees the script, which keeps the other flags, no-writes among them), and such a
// script fails on any key it did not declare in KEYS.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { Redis } from "ioredis";

type Command = [string, ...(string | number)[]];
type Reply = { result: unknown } | { error: string };

function encode(value: unknown, base64: boolean): unknown {
  if (!base64) return value;
  if (typeof value === "string") return value === "OK" ? value : Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map((item) => encode(item, base64));
  return value;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export interface UpstashBridge {
  url: string;
  token: string;
  /** Every script body received (EVAL or EVAL_RO), in order: the command, lowercase, and the script's first line. */
  scripts: { command: string; firstLine: string }[];
  /** Every request: the commands it carried, and the `upstash-sync-token` it sent (null when it sent none). */
  requests: { commands: string[]; syncToken: string | null }[];
  close(): Promise<void>;
}

const KEY_LOCKING = /^#!lua flags=([a-z,-]*)\n/;
// Upstash rejects a key-locking script's access to any key not in KEYS; Redis does not check, so this does.
const CHECK_KEYS = `
local __declared = {}
for _, k in ipairs(KEYS) do __declared[k] = true end
local __keyless = { TIME = true }
local __allKeys = { DEL = true, EXISTS = true }
local function __checked(command, ...)
  local args = {...}
  local name = string.upper(command)
  if not __keyless[name] then
    local last = __allKeys[name] and #args or 1
    for i = 1, last do
      if not __declared[args[i]] then error('undeclared key ' .. tostring(args[i]) .. ' in ' .. name) end
    end
  end
  return redis.call(command, ...)
end
`;
const sha1 = (text: string) => createHash("sha1").update(text).digest("hex");

/** What Redis runs for a script Upstash would get: key-locking ones instrumented, without the flag it refuses. */
function asRedisScript(source: string): string {
  const flags = KEY_LOCKING.exec(source);
  const names = flags?.[1].split(",") ?? [];
  if (!flags || !names.includes("allow-key-locking")) return source;
  const kept = names.filter((name) => name !== "allow-key-locking");
  const shebang = kept.length > 0 ? `#!lua flags=${kept.join(",")}\n` : "";
  return `${shebang}${CHECK_KEYS}${source.slice(flags[0].length).replaceAll("redis.call(", "__checked(")}`;
}

export async function startUpstashBridge(redisUrl: string, token = "test-token"): Promise<UpstashBridge> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false });
  redis.on("error", () => {});
  const scripts: UpstashBridge["scripts"] = [];
  const requests: UpstashBridge["requests"] = [];
  // Upstash answers every request with a sync token, the primary's state; a counter stands in for it.
  let syncState = 0;
  // The client's digest (of the body it sent) → the digest of what Redis was given.
  const digests = new Map<string, string>();
  const translate = ([name, ...args]: Command): Command => {
    const upper = name.toUpperCase();
    if (upper === "EVAL" || upper === "EVAL_RO") {
      const source = String(args[0]);
      scripts.push({ command: name.toLowerCase(), firstLine: source.split("\n")[0] });
      const prepared = asRedisScript(source);
      digests.set(sha1(source), sha1(prepared));
      return [name, prepared, ...args.slice(1)];
    }
    if (upper === "EVALSHA" || upper === "EVALSHA_RO") {
      return [name, digests.get(String(args[0])) ?? String(args[0]), ...args.slice(1)];
    }
    return [name, ...args];
  };
  const run = async (original: Command): Promise<Reply> => {
    const command = translate(original);
    try {
      return { result: await redis.call(command[0], ...command.slice(1).map(String)) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const server: Server = createServer(async (request, response) => {
    const send = (status: number, body: unknown) => {
      syncState += 1;
      response.writeHead(status, { "Content-Type": "application/json", "upstash-sync-token": `sync-${syncState}` });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${token}`) return send(401, { error: "Unauthorized" });
    const base64 = request.headers["upstash-encoding"] === "base64";
    const wrap = (reply: Reply) => ("result" in reply ? { result: encode(reply.result, base64) } : reply);
    try {
      const body = await readBody(request);
      const sent = request.headers["upstash-sync-token"];
      const commands = (Array.isArray((body as unknown[])[0]) ? (body as Command[]) : [body as Command]).map(([name]) =>
        String(name).toLowerCase(),
      );
      requests.push({ commands, syncToken: typeof sent === "string" ? sent : null });
      if (request.url === "/pipeline") {
        const replies = await Promise.all((body as Command[]).map(run));
        return send(200, replies.map(wrap));
      }
      if (request.url === "/multi-exec") {
        const tx = redis.multi();
        for (const [name, ...args] of body as Command[]) tx.call(name, ...args.map(String));
        const results = await tx.exec();
        if (!results) return send(400, { error: "EXECABORT Transaction discarded" });
        return send(
          200,
          results.map(([error, result]) => wrap(error ? { error: error.message } : { result })),
        );
      }
      const reply = await run(body as Command);
      return send("error" in reply ? 400 : 200, wrap(reply));
    } catch (error) {
      return send(400, { error: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    scripts,
    requests,
    async close() {
      redis.disconnect();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
