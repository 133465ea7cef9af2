// Client addresses for the read limit and the admin audit: proxy headers count only behind a trusted proxy.
import { afterEach, describe, expect, it, vi } from "vitest";
import { POST as cleanup } from "../../api/admin/media-cleanup.js";
import * as feed from "../../api/feed/index.js";
import type { EnvSource } from "../../lib/env.js";
import { setupAdminHarness } from "../support/admin-cleanup-harness.js";
import { ADMIN_TOKEN, feedId } from "../support/media-cleanup-fixtures.js";
import { jsonRequest, useTestApp } from "../support/test-app.js";

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

/** Each group's requests are charged to one counter, each group to its own: one group per client address. */
async function expectClients(env: EnvSource, clients: Record<string, string>[][]) {
  const keys = await readLimitKeys(env, clients.flat());
  let next = 0;
  const clientKeys = clients.map((requests) => {
    const own = keys.slice(next, next + requests.length);
    next += requests.length;
    expect(new Set(own).size).toBe(1);
    return own[0];
  });
  expect(new Set(clientKeys).size).toBe(clients.length);
}

/** The limit's 600 reads pass and the next is refused, however the caller rotates its headers: no fresh quota. */
async function expectNoFreshQuota(env: EnvSource, spoofed: (i: number) => Record<string, string>) {
  useTestApp({ RATE_LIMIT_READ_PER_MINUTE: "600", ...env });
  for (let i = 0; i < 600; i += 1) expect((await read(spoofed(i))).status).toBe(200);
  expect((await read(spoofed(600))).status).toBe(429);
}

describe("the read limit's address", () => {
  it("ignores X-Forwarded-For and X-Real-IP without a trusted proxy, so rotating them buys no fresh quota", async () => {
    await expectNoFreshQuota({}, (i) => ({
      "x-forwarded-for": `10.0.${i >> 8}.${i & 255}`,
      "x-real-ip": `10.1.0.${i & 255}`,
    }));
  });

  it("on Vercel (VERCEL=1), uses the address Vercel's edge writes, x-vercel-forwarded-for before X-Forwarded-For", async () => {
    const [vercelOwn, sameClient, forwardedOnly, other] = await readLimitKeys({ VERCEL: "1" }, [
      { "x-vercel-forwarded-for": "203.0.113.7", "x-forwarded-for": "198.51.100.1" },
      { "x-vercel-forwarded-for": "203.0.113.7", "x-forwarded-for": "198.51.100.2", "x-real-ip": "10.1.0.9" },
      { "x-forwarded-for": "203.0.113.7" },
      { "x-vercel-forwarded-for": "203.0.113.8" },
    ]);
    expect(sameClient).toBe(vercelOwn);
    expect(forwardedOnly).toBe(vercelOwn);
    expect(other).not.toBe(vercelOwn);
  });

  it("with TRUST_PROXY=true, keys by the hop the proxy appended: rotating X-Real-IP or earlier hops changes nothing", async () => {
    await expectClients({ TRUST_PROXY: "true" }, [
      [
        { "x-forwarded-for": "203.0.113.7" },
        { "x-forwarded-for": "10.0.0.1, 203.0.113.7", "x-real-ip": "10.1.0.1" },
        { "x-forwarded-for": "10.0.0.2, 10.0.0.3, 203.0.113.7", "x-real-ip": "10.1.0.2" },
      ],
      [{ "x-forwarded-for": "203.0.113.7, 203.0.113.8" }],
    ]);
  });

  it("with TRUST_PROXY=2, keys by the second hop from the right, and by unknown when fewer hops arrived", async () => {
    await expectClients({ TRUST_PROXY: "2" }, [
      [{ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }, { "x-forwarded-for": "10.9.9.9, 203.0.113.7, 10.0.0.2" }],
      [{ "x-forwarded-for": "203.0.113.8, 10.0.0.1" }],
      [{ "x-forwarded-for": "203.0.113.7" }, {}],
    ]);
  });

  it("lets no rotated header buy fresh quota with TRUST_PROXY=true: only the proxy's hop counts", async () => {
    await expectNoFreshQuota({ TRUST_PROXY: "true" }, (i) => ({
      "x-forwarded-for": `10.0.${i >> 8}.${i & 255}, 203.0.113.7`,
      "x-real-ip": `10.1.${i >> 8}.${i & 255}`,
    }));
  });

  it("keys IPv6 callers by their /64, however the address is written", async () => {
    await expectClients({ TRUST_PROXY: "true" }, [
      [
        { "x-forwarded-for": "2001:db8:1:2::1" },
        { "x-forwarded-for": "2001:0DB8:0001:0002:ffff:ffff:ffff:ffff" },
        { "x-forwarded-for": "[2001:db8:1:2::99]:443" },
      ],
      [{ "x-forwarded-for": "2001:db8:1:3::1" }],
    ]);
  });

  it("counts an IPv4-mapped IPv6 address as the IPv4 address, and junk as unknown", async () => {
    await expectClients({ TRUST_PROXY: "true" }, [
      [{ "x-forwarded-for": "::ffff:192.0.2.1" }, { "x-forwarded-for": "192.0.2.1" }],
      [{ "x-forwarded-for": "<script>" }, {}],
    ]);
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
      "x-real-ip": "192.0.2.66",
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

  it("is the proxy's report on Vercel or behind TRUST_PROXY (never X-Real-IP), and unknown without one", async () => {
    expect(await auditedAddress({ VERCEL: "1" })).toBe("2001:db8:aa:bb::/64");
    expect(await auditedAddress({ TRUST_PROXY: "true" })).toBe("2001:db8:aa:bb::/64");
    expect(await auditedAddress({})).toBe("unknown");
  });
});
