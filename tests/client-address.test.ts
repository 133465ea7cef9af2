// Client addresses for the read limit and the admin audit: proxy headers count only behind a trusted proxy.
import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as cleanup } from "../api/admin/media-cleanup.js";
import * as feed from "../api/feed/index.js";
import type { EnvSource } from "../lib/env.js";
import { setupAdminHarness } from "./support/admin-cleanup-harness.js";
import { ADMIN_TOKEN, feedId } from "./support/media-cleanup-fixtures.js";
import { jsonRequest, useTestApp } from "./support/test-app.js";

const h = setupAdminHarness();
afterEach(() => vi.restoreAllMocks());

const read = (headers: Record<string, string>) =>
  feed.GET(jsonRequest("/api/feed", "GET", undefined, undefined, headers));

/** The read-limit counter each request is charged to (keys are hashes, so equal keys mean the same address). */
async function readLimitKeys(env: EnvSource, requests: Record<string, string>[]): Promise<string[]> {
  const { store } = useTestApp({ RATE_LIMIT_READ_PER_MINUTE: "600", ...env });
  const countHit = vi.spyOn(store, "countHit");
  for (const headers of requests) expect((await read(headers)).status).toBe(200);
  return countHit.mock.calls.map(([key]) => key);
}

describe("the read limit's address", () => {
  it("ignores X-Forwarded-For and X-Real-IP without a trusted proxy, so rotating them buys no fresh quota", async () => {
    useTestApp({ RATE_LIMIT_READ_PER_MINUTE: "600" });
    const spoofed = (i: number) => ({
      "x-forwarded-for": `10.0.${i >> 8}.${i & 255}`,
      "x-real-ip": `10.1.0.${i & 255}`,
    });
    for (let i = 0; i < 600; i += 1) expect((await read(spoofed(i))).status).toBe(200);
    const refused = await read(spoofed(600));
    expect(refused.status).toBe(429);
  });

  it.each<[string, EnvSource]>([
    ["on Vercel (VERCEL=1)", { VERCEL: "1" }],
    ["with TRUST_PROXY=true", { TRUST_PROXY: "true" }],
  ])("uses the address the proxy reports %s, X-Real-IP first, then the first X-Forwarded-For hop", async (_, env) => {
    const [viaRealIp, viaForwarded, other] = await readLimitKeys(env, [
      { "x-real-ip": "203.0.113.7", "x-forwarded-for": "198.51.100.1" },
      { "x-forwarded-for": "203.0.113.7, 10.0.0.1" },
      { "x-forwarded-for": "203.0.113.8" },
    ]);
    expect(viaForwarded).toBe(viaRealIp);
    expect(other).not.toBe(viaRealIp);
  });

  it("keys IPv6 callers by their /64, however the address is written", async () => {
    const keys = await readLimitKeys({ TRUST_PROXY: "true" }, [
      { "x-real-ip": "2001:db8:1:2::1" },
      { "x-real-ip": "2001:0DB8:0001:0002:ffff:ffff:ffff:ffff" },
      { "x-forwarded-for": "[2001:db8:1:2::99]:443" },
      { "x-real-ip": "2001:db8:1:3::1" },
    ]);
    expect(new Set(keys.slice(0, 3)).size).toBe(1);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it("counts an IPv4-mapped IPv6 address as the IPv4 address, and junk as unknown", async () => {
    const keys = await readLimitKeys({ TRUST_PROXY: "true" }, [
      { "x-real-ip": "::ffff:192.0.2.1" },
      { "x-real-ip": "192.0.2.1" },
      { "x-real-ip": "<script>" },
      {},
    ]);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[2]).toBe(keys[3]);
  });
});

describe("the admin audit line's address", () => {
  async function auditedAddress(env: EnvSource): Promise<string> {
    h.compose(env);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${ADMIN_TOKEN}`,
      "x-forwarded-for": "2001:db8:aa:bb:1:2:3:4",
    };
    const body = JSON.stringify({ publicIds: [feedId(1)], dryRun: true });
    const response = await cleanup(
      new Request("http://localhost/api/admin/media-cleanup", { method: "POST", headers, body }),
    );
    expect(response.status).toBe(200);
    const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)));
    log.mockRestore();
    return lines.find((line) => line.event === "media_cleanup").caller.address;
  }

  it("is the proxy's report on Vercel, and unknown where the caller could have written it", async () => {
    expect(await auditedAddress({ VERCEL: "1" })).toBe("2001:db8:aa:bb::/64");
    expect(await auditedAddress({})).toBe("unknown");
  });
});
