// Every line the feed logs: one JSON object, `level` and `event` first, then the event's own fields. Info and debug
// go to stdout, warnings and errors to stderr, so a platform that colours or alerts by stream sees the same levels.
// The level is process-wide (like a console's): the composition root sets it from LOG_LEVEL (lib/app.ts).

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
let threshold: LogLevel = "info";

/** Lines below `level` are dropped from now on (debug: every request; info, the default: what changed or failed). */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** Whether a line at `level` would be written: a caller whose fields cost something checks first. */
export function logs(level: LogLevel): boolean {
  return RANK[level] >= RANK[threshold];
}

function write(level: LogLevel, event: string, fields: LogFields): void {
  if (!logs(level)) return;
  const line = JSON.stringify({ level, event, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** `log.info("post_takedown", { postId })` → `{"level":"info","event":"post_takedown","postId":"…"}`. */
export const log = {
  debug: (event: string, fields: LogFields = {}) => write("debug", event, fields),
  info: (event: string, fields: LogFields = {}) => write("info", event, fields),
  warn: (event: string, fields: LogFields = {}) => write("warn", event, fields),
  error: (event: string, fields: LogFields = {}) => write("error", event, fields),
};
