// Text output of the media:cleanup command: the candidate table, its total, per-batch progress and the summary.

import type { BatchReport } from "../lib/admin/media-cleanup.js";
import type { Leftovers } from "../lib/admin/media-sweep.js";
import type { StoredMedia } from "../lib/cloudinary/admin-api.js";

const MINUTE_MS = 60_000;
const UNITS = ["B", "KB", "MB", "GB"];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / MINUTE_MS);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  return `${hours}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/** Oldest first, in aligned columns, ending with the total the operator is about to delete. */
export function formatCandidates(leftovers: Leftovers, nowMs: number): string[] {
  const { candidates, live, scanned } = leftovers;
  const kept = live.length > 0 ? `; ${live.length} kept because a live post still shows it` : "";
  const total = `Total: ${plural(candidates.length, "file")}, ${formatBytes(sum(candidates))} (scanned ${scanned}${kept}).`;
  if (candidates.length === 0) return ["No feed media on Cloudinary is old enough to clean up.", total];
  const rows = [...candidates]
    .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt))
    .map((media) => [
      media.resourceType,
      media.createdAt,
      formatAge(nowMs - Date.parse(media.createdAt)),
      formatBytes(media.bytes),
      media.publicId,
    ]);
  return [...alignColumns([["TYPE", "UPLOADED", "AGE", "SIZE", "PUBLIC ID"], ...rows]), total];
}

export function formatBatch(report: BatchReport): string {
  const outcomes = Object.values(report.outcomes);
  const count = (outcome: string) => outcomes.filter((value) => value === outcome).length;
  const parts = [`${count("deleted")} deleted`, `${count("not_found")} already gone`];
  if (count("failed") > 0) parts.push(`${count("failed")} failed`);
  return `  batch ${report.batch}/${report.batches} (${report.type}, ${plural(outcomes.length, "id")}): ${parts.join(", ")}`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function sum(media: StoredMedia[]): number {
  return media.reduce((total, item) => total + item.bytes, 0);
}

function alignColumns(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd(),
  );
}
