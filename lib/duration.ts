// Durations as operators write them, in a setting (AUTH_MAX_TOKEN_AGE) or on the command line (`--older-than`):
// a whole number and one unit, read as seconds. No imports, so any caller can use it.

const SECONDS_PER_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
// No sign, fraction, space or mix like "1h30m": nothing is left for a library to read its own way.
const DURATION = /^(\d+)([smhd])$/;

/** Seconds in "<whole number><s|m|h|d>" (3600s, 90m, 2h, 7d), or undefined when the text is not one such duration. */
export function parseDurationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text);
  return match ? Number(match[1]) * SECONDS_PER_UNIT[match[2]] : undefined;
}
