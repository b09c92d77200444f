/**
 * Statistics for the benchmarks. Every figure is a spread of samples (min / median / max), never a single number:
 * these machines are shared and noisy, and a figure without its spread cannot say whether a change helped.
 * Compared runs are interleaved (A, B, A, B …) after a warm-up, so that load on the machine hits both alike.
 */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The 95th percentile (nearest rank) of the samples. */
export function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The spread of a figure's samples, with the samples themselves (rounded) for bench/results.json. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly n: number;
  readonly samples: readonly number[];
}

export function spread(samples: readonly number[], digits = 2): Spread {
  if (!samples.length) throw new Error('a figure needs at least one sample');
  return { min: round(Math.min(...samples), digits), median: round(median(samples), digits), max: round(Math.max(...samples), digits), n: samples.length, samples: samples.map((s) => round(s, digits)) };
}

/** A spread of a figure that does not vary (a size, a count): one sample. */
export function exact(value: number): Spread {
  return spread([value]);
}

/** A ratio per interleaved pair (a[i] / b[i]): neighbours in time share the machine's load, so this is steadier. */
export function pairRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error('pairs of unequal length');
  return a.map((x, i) => x / b[i]);
}

export interface Interleaved {
  readonly a: number[];
  readonly b: number[];
}

/**
 * Runs `a` and `b` alternately (A, B, A, B …): `warmUp` pairs first, which are not kept, then `pairs` pairs.
 * Each call returns one sample in its own unit (milliseconds, bytes …).
 */
export async function interleave(pairs: number, warmUp: number, a: () => Promise<number> | number, b: () => Promise<number> | number): Promise<Interleaved> {
  const out: Interleaved = { a: [], b: [] };
  for (let i = 0; i < warmUp + pairs; i++) {
    const x = await a();
    const y = await b();
    if (i < warmUp) continue;
    out.a.push(x);
    out.b.push(y);
  }
  return out;
}

/** n samples of one measurement, after `warmUp` that are not kept. */
export async function repeat(n: number, warmUp: number, measure: (index: number) => Promise<number> | number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < warmUp + n; i++) {
    const x = await measure(i);
    if (i >= warmUp) out.push(x);
  }
  return out;
}
