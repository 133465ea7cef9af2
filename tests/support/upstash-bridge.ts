// A minimal Upstash REST endpoint in front of a real redis-server, so @upstash/redis runs against real Redis semantics.
// It speaks what the SDK sends: POST / (one command), /pipeline and /multi-exec, bearer auth, base64 response encoding.
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
  close(): Promise<void>;
}

export async function startUpstashBridge(redisUrl: string, token = "test-token"): Promise<UpstashBridge> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 0, enableOfflineQueue: false });
  redis.on("error", () => {});
  const run = async (command: Command): Promise<Reply> => {
    try {
      return { result: await redis.call(command[0], ...command.slice(1).map(String)) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const server: Server = createServer(async (request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${token}`) return send(401, { error: "Unauthorized" });
    const base64 = request.headers["upstash-encoding"] === "base64";
    const wrap = (reply: Reply) => ("result" in reply ? { result: encode(reply.result, base64) } : reply);
    try {
      const body = await readBody(request);
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
    async close() {
      redis.disconnect();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
