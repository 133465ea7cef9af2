// A local run outside `npm run dev` with nothing configured: reading works, and what needs an account says so.
import { afterEach, expect, it, vi } from "vitest";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import { createApp, useApp } from "../../lib/app.js";
import { loadConfig } from "../../lib/env.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { jsonRequest } from "../support/test-app.js";

afterEach(() => vi.restoreAllMocks());

it("reads an empty feed, and answers 500 not_configured (naming the setting in the log) to what needs an account", async () => {
  useApp(createApp(loadConfig({}), { store: new MemoryStore() }));
  expect((await feed.GET(jsonRequest("/api/feed", "GET"))).status).toBe(200);
  const errors = vi.spyOn(console, "error").mockImplementation(() => {});
  const signing = jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, "any-token");
  const response = await uploadSignature.POST(signing);
  expect(response.status).toBe(500);
  expect((await response.json()).error.code).toBe("not_configured");
  expect(errors.mock.calls.flat().join("\n")).toContain("AUTH_JWT_SECRET");
});
