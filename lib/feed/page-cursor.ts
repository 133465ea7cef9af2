// Page cursors: the position after which the next page starts, as the API writes it and accepts it back.
import { HttpError } from "../errors.js";
import type { IndexEntry } from "../store/feed-store.js";

// A cursor is refused when its time is further ahead than this: no entry the index holds can be there.
const CURSOR_FUTURE_SLACK_MS = 5 * 60_000;
const CURSOR_PATTERN = /^(\d{1,16})\.(.{1,100})$/;

export function encodeCursor(entry: IndexEntry): string {
  return Buffer.from(`${entry.score}.${entry.id}`).toString("base64url");
}

/**
 * What a cursor is accepted as: exactly the base64url (no padding) of `<score>.<id>` that encodeCursor writes, where
 * the score is a time in ms no further ahead than CURSOR_FUTURE_SLACK_MS and the member has the read's shape. The entry
 * need not still be in the index (its post may have expired or been deleted since): the page goes on after it.
 */
export function decodeCursor(cursor: string, member: RegExp, nowMs: number): IndexEntry {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const entry = match && member.test(match[2]) ? { score: Number(match[1]), id: match[2] } : undefined;
  // Node's base64url decoder skips padding, spaces and junk: only the exact string we would issue is one we issued.
  if (!entry || encodeCursor(entry) !== cursor || entry.score > nowMs + CURSOR_FUTURE_SLACK_MS) {
    throw new HttpError("invalid_cursor");
  }
  return entry;
}
