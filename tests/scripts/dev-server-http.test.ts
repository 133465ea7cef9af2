// The dev server answers only requests addressed to this machine (no DNS rebinding onto its sign-in), and cuts off a
// request sent too slowly, as a deployment would.
import { once } from "node:events";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAllowedHost, listenDev } from "../../scripts/dev-http.js";
import { type DevServer, startDevServer } from "../client/demo/dev-server.js";

/** GET `path` from 127.0.0.1:`port`, sending `host` as the Host header (as a page on a rebound name would). */
function getWithHost(port: number, host: string, path = "/api/dev/sign-in") {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port, path, headers: { host } }, (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

describe("npm run dev's Host check", () => {
  let server: DevServer | undefined;
  let port = 0;
  beforeAll(async () => {
    server = await startDevServer({ skipBuild: true });
    port = Number(new URL(server.baseUrl).port);
  });
  afterAll(() => server?.stop());

  it.each(["localhost", "127.0.0.1", "[::1]", "LocalHost"])("answers a request to %s on its port", async (name) => {
    expect((await getWithHost(port, `${name}:${port}`)).status).toBe(200);
  });

  it.each<[string, (port: number) => string]>([
    ["a rebound name", (p) => `evil.example:${p}`],
    ["a name ending in localhost's", (p) => `localhost.evil.example:${p}`],
    ["localhost on another port", (p) => `localhost:${p + 1}`],
    ["localhost without the port", () => "localhost"],
    ["another address while listening on loopback", (p) => `192.168.1.5:${p}`],
  ])("refuses %s with a JSON 421", async (_, host) => {
    const { status, body } = await getWithHost(port, host(port));
    expect(status).toBe(421);
    expect(JSON.parse(body).error.code).toBe("misdirected_request");
  });
});

describe("the Host names the dev server accepts", () => {
  it("adds the HOST it listens on, and any IP address (never a name) when HOST is a wildcard", () => {
    expect(isAllowedHost("192.168.1.5:3000", "192.168.1.5", 3000)).toBe(true);
    expect(isAllowedHost("devbox.local:3000", "devbox.local", 3000)).toBe(true);
    expect(isAllowedHost("192.168.1.5:3000", "0.0.0.0", 3000)).toBe(true);
    expect(isAllowedHost("[fe80::1]:3000", "::", 3000)).toBe(true);
    expect(isAllowedHost("evil.example:3000", "0.0.0.0", 3000)).toBe(false);
    expect(isAllowedHost("192.168.1.5:3000", "127.0.0.1", 3000)).toBe(false);
    expect(isAllowedHost("localhost", "127.0.0.1", 80)).toBe(true);
    expect(isAllowedHost(null, "127.0.0.1", 3000)).toBe(false);
  });
});

describe("a request sent too slowly", () => {
  // A short limit keeps the test quick; the dev server starts the same listener with DEV_REQUEST_TIMEOUT_MS (10 s).
  const LIMIT_MS = 1000;
  // Node checks for expired requests every second at most: the limit, one check, and slack for a busy machine.
  const CUT_OFF_WITHIN_MS = 4000;

  it.each<[string, (port: number) => string, string]>([
    ["a trickled body", (port) => `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 1000\r\n\r\n`, "x"],
    ["trickled headers", (port) => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`, "X-Slow: 1\r\n"],
  ])("cuts off %s with 408 and closes the connection", async (_, opening, trickle) => {
    const { server, port } = await listenDev({
      fetch: async (request) => new Response(await request.text()),
      port: 0,
      hostname: "127.0.0.1",
      requestTimeoutMs: LIMIT_MS,
    });
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => {}); // a write racing the server's close
    let received = "";
    socket.on("data", (chunk) => (received += chunk));
    await once(socket, "connect");
    socket.write(opening(port));
    const started = Date.now();
    const drip = setInterval(() => socket.writable && socket.write(trickle), 100);
    const closed = await Promise.race([
      once(socket, "close").then(() => true),
      new Promise<boolean>((done) => setTimeout(() => done(false), CUT_OFF_WITHIN_MS)),
    ]);
    clearInterval(drip);
    socket.destroy();
    server.close();
    expect(closed).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(LIMIT_MS - 100);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });
});
