// POST /api/admin/media-cleanup, who may call it and what it accepts: checked before Cloudinary is ever called.
import { describe, expect, it } from "vitest";
import { DELETE, GET, POST } from "../../api/admin/media-cleanup.js";
import { setupAdminHarness } from "../support/admin-cleanup-harness.js";
import { ADMIN_TOKEN, feedId } from "../support/media-cleanup-fixtures.js";

const h = setupAdminHarness();

describe("access", () => {
  it.each([
    ["unset", {}],
    ["shorter than 32 characters", { ADMIN_TOKEN: "short-token-1234567890" }],
  ])("is disabled with a clear 503 while ADMIN_TOKEN is %s", async (_, env) => {
    h.compose({ ADMIN_TOKEN: "", ...env });
    const response = await h.cleanup({ publicIds: [feedId(1)] }, "short-token-1234567890");
    expect(response.status).toBe(503);
    expect((await response.json()).error).toMatchObject({ code: "admin_disabled" });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(h.cloudinary.calls).toHaveLength(0);
  });

  it("answers 401 with a challenge when no bearer token is sent", async () => {
    const response = await h.cleanup({ publicIds: [feedId(1)] }, null);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(h.cloudinary.calls).toHaveLength(0);
  });

  it.each([
    ["a different token", "x".repeat(40)],
    ["the token with a character missing", ADMIN_TOKEN.slice(0, -1)],
    ["the token with a suffix", `${ADMIN_TOKEN}x`],
  ])("answers 403 to %s, never 500", async (_, token) => {
    const response = await h.cleanup({ publicIds: [feedId(1)] }, token);
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("forbidden");
    expect(h.cloudinary.calls).toHaveLength(0);
  });

  it("answers other methods with 405 and Allow", async () => {
    for (const [method, handler] of [
      ["GET", GET],
      ["DELETE", DELETE],
    ] as const) {
      const response = await handler(new Request("http://localhost/api/admin/media-cleanup", { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toContain("POST");
    }
  });
});

describe("validation", () => {
  it.each([
    ["outside the feed folder", "other/u0123456789abcdef/post00000001"],
    ["a sibling folder sharing the prefix", "feedback/u0123456789abcdef/post00000001"],
    ["the folder itself", "feed"],
    ["a wildcard", "feed/*"],
    ["a wildcard post id", `${feedId(1).slice(0, -3)}*`],
    ["a parent segment", "feed/u0123456789abcdef/../../secret/x0000000000"],
    ["a parent segment in place of the owner", "feed/../post00000001"],
    ["a malformed owner segment", "feed/user-1/post00000001"],
    ["an extra segment", `${feedId(1)}/more`],
    ["an empty string", ""],
  ])("refuses a public id %s with 400 before calling Cloudinary", async (_, publicId) => {
    const response = await h.cleanup({ publicIds: [feedId(2), publicId] });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_request");
    expect(h.cloudinary.calls).toHaveLength(0);
  });

  it("accepts 1 to 100 ids and refuses 0 or 101", async () => {
    const ids = (count: number) => Array.from({ length: count }, (_, i) => feedId(i));
    expect((await h.cleanup({ publicIds: [] })).status).toBe(400);
    expect((await h.cleanup({ publicIds: ids(101) })).status).toBe(400);
    expect(h.cloudinary.calls).toHaveLength(0);
    const response = await h.cleanup({ publicIds: ids(100), dryRun: true });
    expect(response.status).toBe(200);
    expect((await response.json()).results).toHaveLength(100);
  });

  it("refuses unknown fields, non-boolean flags and non-JSON bodies", async () => {
    expect((await h.cleanup({ publicIds: [feedId(1)], prefix: "feed/" })).status).toBe(400);
    expect((await h.cleanup({ publicIds: [feedId(1)], dryRun: "yes" })).status).toBe(400);
    const text = new Request("http://localhost/api/admin/media-cleanup", {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "text/plain" },
      body: feedId(1),
    });
    expect((await POST(text)).status).toBe(415);
    expect(h.cloudinary.calls).toHaveLength(0);
  });
});
