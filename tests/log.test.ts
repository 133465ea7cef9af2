// One line shape for every log line, each level on its stream, and nothing below the level set.
import { afterEach, describe, expect, it, vi } from "vitest";
import { log, setLogLevel } from "../lib/log.js";

afterEach(() => {
  vi.restoreAllMocks();
  setLogLevel("info");
});

const spies = () => ({
  out: vi.spyOn(console, "log").mockImplementation(() => {}),
  warn: vi.spyOn(console, "warn").mockImplementation(() => {}),
  err: vi.spyOn(console, "error").mockImplementation(() => {}),
});
const written = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map(([line]) => String(line));

describe("log", () => {
  it("writes level and event first, then the fields, info to stdout and warnings and errors to stderr", () => {
    const { out, warn, err } = spies();
    log.info("post_takedown", { postId: "abc" });
    log.warn("redis_split_writes", { detail: "two steps" });
    log.error("redis_error", { error: "ECONNREFUSED" });
    expect(written(out)).toEqual(['{"level":"info","event":"post_takedown","postId":"abc"}']);
    expect(written(warn)).toEqual(['{"level":"warn","event":"redis_split_writes","detail":"two steps"}']);
    expect(written(err)).toEqual(['{"level":"error","event":"redis_error","error":"ECONNREFUSED"}']);
  });

  it("drops debug lines at the default level and writes them at debug; at error only errors are left", () => {
    const { out, warn, err } = spies();
    log.debug("request");
    setLogLevel("debug");
    log.debug("request", { status: 200 });
    setLogLevel("error");
    log.info("media_cleanup");
    log.warn("memory_store");
    log.error("feed_hook_failed");
    expect(written(out)).toEqual(['{"level":"debug","event":"request","status":200}']);
    expect(written(warn)).toEqual([]);
    expect(written(err)).toEqual(['{"level":"error","event":"feed_hook_failed"}']);
  });
});
