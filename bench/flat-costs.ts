// The cost target for any read: at most two round trips, and the same round trips and commands in every cell.
import type { Measurement } from "./measure.js";
import type { TargetCheck } from "./targets.js";

// From the issue: a read costs at most two round trips.
export const MAX_ROUND_TRIPS = 2;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

export const span = (values: number[]) =>
  Math.min(...values) === Math.max(...values) ? String(values[0]) : `${Math.min(...values)}–${Math.max(...values)}`;

/**
 * Round trips and commands of each kind of read are the same in every cell (so they grow with neither N nor M), and
 * never above the round-trip cap. A kind missing from a cell fails the target: it was not measured there.
 */
export function checkFlatCosts<Kind extends string>(
  target: string,
  kinds: readonly Kind[],
  cells: { page: Kind; project: Measurement }[][],
): TargetCheck {
  const parts: string[] = [];
  let pass = cells.length > 0;
  for (const kind of kinds) {
    const measured = cells.map((reads) => reads.find((r) => r.page === kind)?.project);
    const rt = measured.flatMap((m) => (m ? [m.roundTrips.min, m.roundTrips.max] : []));
    const cmds = measured.flatMap((m) => (m ? [m.commands.min, m.commands.max] : []));
    const flat = Math.min(...rt) === Math.max(...rt) && Math.min(...cmds) === Math.max(...cmds);
    pass &&= flat && Math.max(...rt) <= MAX_ROUND_TRIPS && measured.every(Boolean);
    parts.push(`${kind}: ${span(rt)} RT, ${span(cmds)} cmds`);
  }
  return {
    target: `${target} (≤ ${MAX_ROUND_TRIPS} round trips)`,
    measured: `${parts.join("; ")} in all ${plural(cells.length, "cell")}`,
    pass,
  };
}
