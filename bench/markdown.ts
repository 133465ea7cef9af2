// Markdown and number formatting shared by the report's tables.
import type { Range } from "./measure.js";

export const num = (value: number) => value.toLocaleString("en-US");
export const ms = (value: number) => (value >= 1000 ? num(Math.round(value)) : value.toFixed(value >= 10 ? 1 : 2));
export const ratio = (value: number) => (value >= 0.1 ? value.toFixed(2) : value.toPrecision(2));
export const range = (r: Range) => (r.min === r.max ? num(r.min) : `${num(r.min)}–${num(r.max)}`);
export const row = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
export const header = (names: string[], align: string[]) => [row(names), row(align)];

/** A report section: heading, the prose under it, then a table of `columns` ([name, alignment]) and its rows. */
export const section = (title: string, prose: string[], columns: [string, string][], rows: string[]) => [
  `## ${title}`,
  "",
  ...(prose.length > 0 ? [...prose, ""] : []),
  ...header(
    columns.map(([name]) => name),
    columns.map(([, align]) => align),
  ),
  ...rows,
  "",
];
