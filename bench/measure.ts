// Runs one request shape many times and summarises it: latency percentiles, Redis round trips and commands, bytes.
import type { CommandCounter } from "./counting-client.js";

export interface Range {
  min: number;
  max: number;
}

export interface Measurement {
  samples: number;
  medianMs: number;
  p95Ms: number;
  roundTrips: Range;
  commands: Range;
  /** Largest response body seen, in bytes. */
  bytes: number;
}

export interface MeasureOptions {
  samples: number;
  warmup: number;
  expectStatus: number;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const widen = (range: Range | undefined, value: number): Range =>
  range ? { min: Math.min(range.min, value), max: Math.max(range.max, value) } : { min: value, max: value };

/**
 * Times `request` from the call to the last byte of the body, sequentially (one request in flight, so the counts
 * belong to that request alone). Warm-up runs are not recorded; an unexpected status stops the bench.
 */
export async function measure(
  request: () => Promise<Response>,
  counter: CommandCounter,
  options: MeasureOptions,
): Promise<Measurement> {
  const times: number[] = [];
  let roundTrips: Range | undefined;
  let commands: Range | undefined;
  let bytes = 0;
  for (let i = 0; i < options.warmup + options.samples; i += 1) {
    counter.reset();
    const started = performance.now();
    const response = await request();
    const body = await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.status !== options.expectStatus) {
      throw new Error(`expected ${options.expectStatus}, got ${response.status}: ${new TextDecoder().decode(body)}`);
    }
    if (i < options.warmup) continue;
    const counts = counter.read();
    times.push(elapsed);
    roundTrips = widen(roundTrips, counts.roundTrips);
    commands = widen(commands, counts.commands);
    bytes = Math.max(bytes, body.byteLength);
  }
  times.sort((a, b) => a - b);
  return {
    samples: times.length,
    medianMs: percentile(times, 50),
    p95Ms: percentile(times, 95),
    roundTrips: roundTrips ?? { min: 0, max: 0 },
    commands: commands ?? { min: 0, max: 0 },
    bytes,
  };
}
