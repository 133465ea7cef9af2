// An msw server for the calling test file: started before its tests, reset after each, and any request nobody
// planned for fails the test (onUnhandledRequest: "error").
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

export function useMswServer() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}
