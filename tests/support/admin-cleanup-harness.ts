// Per-test setup for the admin endpoint: msw's Cloudinary, an app on an in-process store, and a request helper.
import { beforeEach } from "vitest";
import { POST } from "../../api/admin/media-cleanup.js";
import { createApp, useApp } from "../../lib/app.js";
import type { Config, EnvSource } from "../../lib/env.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { createFakeCloudinary, type FakeCloudinary } from "./fake-cloudinary-admin.js";
import { ADMIN_TOKEN, NOW, testConfig } from "./media-cleanup-fixtures.js";
import { useMswServer } from "./msw-server.js";

export interface AdminHarness {
  /** msw's server, for a test's own one-off handlers. */
  server: ReturnType<typeof useMswServer>;
  config: Config;
  store: MemoryStore;
  cloudinary: FakeCloudinary;
  /** Rebuilds the app from other variables (the defaults enable the endpoint). */
  compose(env?: EnvSource): void;
  /** POSTs a JSON body with the admin token (or another token, or none when null). */
  cleanup(body: unknown, token?: string | null): Promise<Response>;
}

/** Registers the hooks in the calling test file; msw fails any request it has no handler for. */
export function setupAdminHarness(): AdminHarness {
  const server = useMswServer();

  const harness = {
    server,
    compose(env: EnvSource = {}) {
      harness.config = testConfig(env);
      harness.store = new MemoryStore(() => NOW);
      useApp(createApp(harness.config, { store: harness.store, now: () => NOW }));
      harness.cloudinary = createFakeCloudinary(harness.config.media);
      server.use(...harness.cloudinary.handlers);
    },
    cleanup(body: unknown, token: string | null = ADMIN_TOKEN) {
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (token !== null) headers.Authorization = `Bearer ${token}`;
      const init = { method: "POST", headers, body: JSON.stringify(body) };
      return POST(new Request("http://localhost/api/admin/media-cleanup", init));
    },
  } as AdminHarness;
  beforeEach(() => harness.compose());
  return harness;
}
