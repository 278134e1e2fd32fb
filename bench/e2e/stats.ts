/**
 * Order statistics for latency samples.
 *
 * @module
 */

/**
 * The `p`-th percentile (0–100) of `samples`, interpolated between the two nearest ranks.
 *
 * @example
 * ```ts
 * import { percentile } from "./stats.ts";
 * console.log(percentile([1, 2, 3, 4], 50)); // 2.5
 * ```
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** The median of `samples`. */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}
