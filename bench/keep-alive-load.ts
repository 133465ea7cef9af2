// Concurrent keep-alive GETs to a loopback port, bounded by count and by time: the load the origin cells share.
import { Agent, request } from "node:http";

export interface LoadPlan {
  path: string;
  /** Requests in flight at once, each on its own kept-alive connection. */
  concurrency: number;
  requests: number;
  /** The round stops early at this time, whatever is left of `requests`. */
  maxMs: number;
}

export interface LoadResult {
  pages: number;
  elapsedMs: number;
  /** Answers other than 200: any makes the round worthless, so the caller stops. */
  failures: number;
}

function getOnce(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: "127.0.0.1", port, path, method: "GET" }, (response) => {
      response.on("data", () => {});
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Sends `plan.requests` GETs (fewer if time runs out) with `plan.concurrency` in flight; only ever to 127.0.0.1. */
export async function runLoad(port: number, plan: LoadPlan): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  const started = performance.now();
  const deadline = started + plan.maxMs;
  let sent = 0;
  let pages = 0;
  let failures = 0;
  const worker = async () => {
    while (sent < plan.requests && performance.now() < deadline) {
      sent += 1;
      if ((await getOnce(agent, port, plan.path)) === 200) pages += 1;
      else failures += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: plan.concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { pages, elapsedMs: performance.now() - started, failures };
}
