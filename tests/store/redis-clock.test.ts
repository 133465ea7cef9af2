// The publish deadline is judged by Redis's clock: a "late" answer that came back in time means the clocks disagree.
import { describe, expect, it, vi } from "vitest";
import { ServiceUnavailableError } from "../../lib/errors.js";
import { publishOnTime, RedisClock } from "../../lib/store/replies.js";

const TIMEOUT_MS = 2000;

describe("publishOnTime", () => {
  it("sends a deadline half a timeout ahead by our clock while it knows no better", async () => {
    const deadlines: number[] = [];
    const before = Date.now();
    const outcome = await publishOnTime(new RedisClock(TIMEOUT_MS), async (deadline) => {
      deadlines.push(Number(deadline));
      return ["created"];
    });
    expect(outcome).toEqual({ status: "created" });
    expect(deadlines[0]).toBeGreaterThanOrEqual(before + TIMEOUT_MS / 2);
    expect(deadlines[0]).toBeLessThanOrEqual(Date.now() + TIMEOUT_MS / 2);
  });

  it("learns that Redis's clock runs a minute ahead from a late answer that came in time, and retries once", async () => {
    const clock = new RedisClock(TIMEOUT_MS);
    const redisNow = () => Date.now() + 60_000;
    const deadlines: number[] = [];
    const run = async (deadline: string) => {
      deadlines.push(Number(deadline));
      return Number(deadline) < redisNow() ? ["late", String(redisNow())] : ["exists", "stored"];
    };
    expect(await publishOnTime(clock, run)).toEqual({ status: "exists", value: "stored" });
    expect(deadlines).toHaveLength(2);
    // The offset is kept: the next publish needs one attempt.
    expect(await publishOnTime(clock, run)).toEqual({ status: "exists", value: "stored" });
    expect(deadlines).toHaveLength(3);
  });

  it("gives up with a 503 when Redis says late twice (it is too slow to answer in time)", async () => {
    const late = async () => ["late", String(Date.now())];
    await expect(publishOnTime(new RedisClock(TIMEOUT_MS), late)).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

describe("a Redis-compatible service that refuses TIME before writes in a script", () => {
  it("publishes without a deadline from then on, saying so once, instead of failing every post", async () => {
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    const clock = new RedisClock(TIMEOUT_MS);
    const deadlines: string[] = [];
    const run = async (deadline: string) => {
      deadlines.push(deadline);
      if (deadline !== "") throw new Error("ERR Write commands not allowed after non deterministic commands");
      return ["created"];
    };
    expect(await publishOnTime(clock, run)).toEqual({ status: "created" });
    expect(await publishOnTime(clock, run)).toEqual({ status: "created" });
    expect(deadlines.map((d) => d === "")).toEqual([false, true, true]);
    expect(warnings).toHaveBeenCalledTimes(1);
    warnings.mockRestore();
  });

  it("still fails on any other error", async () => {
    const broken = async () => {
      throw new Error("ERR something else");
    };
    await expect(publishOnTime(new RedisClock(TIMEOUT_MS), broken)).rejects.toThrow("something else");
  });
});
