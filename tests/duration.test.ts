// The one duration reading behind AUTH_MAX_TOKEN_AGE and the cleanup CLI's --older-than: a whole number and a unit.
import { describe, expect, it } from "vitest";
import { parseDurationSeconds } from "../lib/duration.js";

describe("parseDurationSeconds", () => {
  it("reads a whole number of seconds, minutes, hours or days as seconds", () => {
    expect(parseDurationSeconds("3600s")).toBe(3600);
    expect(parseDurationSeconds("90m")).toBe(5400);
    expect(parseDurationSeconds("24h")).toBe(86_400);
    expect(parseDurationSeconds("7d")).toBe(604_800);
    expect(parseDurationSeconds("0m")).toBe(0);
    expect(parseDurationSeconds("02h")).toBe(7200);
  });

  it.each(["", "24", "h", "1.5h", "24 hours", " 2h", "2h ", "-5m", "+5m", "1h30m", "2H", "2w", "2ms", "two hours"])(
    "refuses %j: not one whole number and one unit",
    (text) => {
      expect(parseDurationSeconds(text)).toBeUndefined();
    },
  );
});
