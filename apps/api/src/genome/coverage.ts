import type { StoredCoverageRow } from '../read-model/coverage.js';

/** Depth along a stretch of one contig in bins of `binSize` bases (the last may hold fewer). */
export interface Coverage {
  contig: string;
  from: number;
  to: number;
  binSize: number;
  /** Mean depth of each bin. */
  depths: number[];
  /** Largest depth of each bin. */
  maxDepths: number[];
}

/**
 * `from..=to` of a contig of `length` bases from its stored bins, in bins of
 * max(stored bin size, ceil((to − from + 1) / bins)) bases: each bin's mean weighs the stored bins
 * it overlaps by the bases they share, its maximum is theirs. Never finer than what is stored.
 */
export function rebinStored(
  stored: Pick<StoredCoverageRow, 'contig' | 'binSize' | 'depths' | 'maxDepths'>,
  length: number,
  from: number,
  to: number,
  bins: number,
): Coverage {
  const storedSize = stored.binSize;
  const binSize = Math.max(storedSize, Math.ceil((to - from + 1) / bins));
  const depths: number[] = [];
  const maxDepths: number[] = [];
  for (let start = from; start <= to; start += binSize) {
    const end = Math.min(to, start + binSize - 1);
    let weighted = 0;
    let maximum = 0;
    for (let index = Math.floor((start - 1) / storedSize); index * storedSize < end; index += 1) {
      const first = index * storedSize + 1;
      const last = Math.min(length, first + storedSize - 1);
      const shared = Math.min(end, last) - Math.max(start, first) + 1;
      if (shared <= 0) continue;
      weighted += (stored.depths[index] ?? 0) * shared;
      maximum = Math.max(maximum, stored.maxDepths[index] ?? 0);
    }
    depths.push(weighted / (end - start + 1));
    maxDepths.push(maximum);
  }
  return { contig: stored.contig, from, to, binSize, depths, maxDepths };
}
