import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Tests start their own redis-server and Chromium; allow for a slow shared machine.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Request logs only when a test fails.
    silent: "passed-only",
  },
});
