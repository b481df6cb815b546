/** Bases of `a` and `b` (0-based) that the diff lines up as equal, `length` of them in a row. */
export interface EqualBlock {
  a: number;
  b: number;
  length: number;
}

/** Where two sequences differ: `a[aStart, aEnd)` stands where `b[bStart, bEnd)` does. */
export interface Hunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** Two sequences lined up: the bases they share, in order, and what lies between. */
export interface SequenceDiff {
  equal: EqualBlock[];
  hunks: Hunk[];
  /** Bases lined up as equal. */
  equalBases: number;
}

/** Anchors are k-mers found once in each sequence (and free of N). */
const ANCHOR_LENGTH = 24;
/** Gaps between anchors up to this many cells are aligned base by base; larger ones stay one hunk. */
const MAX_ALIGNED_CELLS = 4_000_000;
/** Hunks closer than this are one difference (a replacement's edit script scatters over its bases). */
const MERGE_DISTANCE = 10;

/**
 * Lines up two nearly equal sequences (a consensus and a peer's, or a reference): k-mers unique
 * to both, chained in order (a longest increasing run), anchor the alignment; the gaps between
 * anchors are aligned by edit distance. Test-side reading of FASTA output, not the product's.
 */
export function diffSequences(a: string, b: string): SequenceDiff {
  const equal: EqualBlock[] = [];
  let [i, j] = [0, 0];
  for (const anchor of anchorChain(a, b)) {
    if (anchor.a < i || anchor.b < j) continue;
    alignGap(a, b, i, anchor.a, j, anchor.b, equal);
    let length = 0;
    while (
      anchor.a + length < a.length &&
      anchor.b + length < b.length &&
      a[anchor.a + length] === b[anchor.b + length]
    )
      length += 1;
    push(equal, { a: anchor.a, b: anchor.b, length });
    [i, j] = [anchor.a + length, anchor.b + length];
  }
  alignGap(a, b, i, a.length, j, b.length, equal);
  const hunks: Hunk[] = [];
  let [aAt, bAt] = [0, 0];
  for (const block of [...equal, { a: a.length, b: b.length, length: 0 }]) {
    if (block.a > aAt || block.b > bAt) {
      const last = hunks.at(-1);
      if (last && aAt - last.aEnd < MERGE_DISTANCE && bAt - last.bEnd < MERGE_DISTANCE) {
        last.aEnd = block.a;
        last.bEnd = block.b;
      } else hunks.push({ aStart: aAt, aEnd: block.a, bStart: bAt, bEnd: block.b });
    }
    [aAt, bAt] = [block.a + block.length, block.b + block.length];
  }
  const merged = equal.filter((block) => !hunks.some((hunk) => block.a >= hunk.aStart && block.a < hunk.aEnd));
  return { equal: merged, hunks, equalBases: merged.reduce((sum, { length }) => sum + length, 0) };
}

/** Appends a block, joining it to the previous one when they touch. */
function push(equal: EqualBlock[], block: EqualBlock): void {
  if (block.length === 0) return;
  const last = equal.at(-1);
  if (last && last.a + last.length === block.a && last.b + last.length === block.b) last.length += block.length;
  else equal.push(block);
}

function uniqueKmers(sequence: string): Map<string, number> {
  const seen = new Map<string, number>();
  for (let start = 0; start + ANCHOR_LENGTH <= sequence.length; start += 1) {
    const kmer = sequence.slice(start, start + ANCHOR_LENGTH);
    if (kmer.includes('N')) continue;
    seen.set(kmer, seen.has(kmer) ? -1 : start);
  }
  return seen;
}

/** The longest chain of shared unique k-mers increasing in both sequences. */
function anchorChain(a: string, b: string): { a: number; b: number }[] {
  const inB = uniqueKmers(b);
  const pairs: { a: number; b: number }[] = [];
  for (const [kmer, at] of uniqueKmers(a)) {
    const other = inB.get(kmer);
    if (at >= 0 && other !== undefined && other >= 0) pairs.push({ a: at, b: other });
  }
  pairs.sort((x, y) => x.a - y.a);
  // Patience: tails[k] = index of the pair ending the best chain of length k + 1.
  const tails: number[] = [];
  const previous = new Int32Array(pairs.length).fill(-1);
  for (const [index, pair] of pairs.entries()) {
    let [low, high] = [0, tails.length];
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((pairs[tails[middle] as number] as { b: number }).b < pair.b) low = middle + 1;
      else high = middle;
    }
    if (low > 0) previous[index] = tails[low - 1] as number;
    tails[low] = index;
  }
  const chain: { a: number; b: number }[] = [];
  for (let at = tails.at(-1) ?? -1; at >= 0; at = previous[at] as number)
    chain.push(pairs[at] as { a: number; b: number });
  return chain.reverse();
}

/** Aligns `a[aFrom, aTo)` with `b[bFrom, bTo)` by edit distance, adding the equal bases it lines up. */
function alignGap(a: string, b: string, aFrom: number, aTo: number, bFrom: number, bTo: number, equal: EqualBlock[]) {
  const [n, m] = [aTo - aFrom, bTo - bFrom];
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_ALIGNED_CELLS) return;
  const width = m + 1;
  const cost = new Uint32Array((n + 1) * width);
  for (let x = 0; x <= n; x += 1) cost[x * width] = x;
  for (let y = 0; y <= m; y += 1) cost[y] = y;
  for (let x = 1; x <= n; x += 1) {
    for (let y = 1; y <= m; y += 1) {
      const same = a[aFrom + x - 1] === b[bFrom + y - 1] ? 0 : 1;
      cost[x * width + y] = Math.min(
        (cost[(x - 1) * width + y - 1] as number) + same,
        (cost[(x - 1) * width + y] as number) + 1,
        (cost[x * width + y - 1] as number) + 1,
      );
    }
  }
  const matches: EqualBlock[] = [];
  let [x, y] = [n, m];
  while (x > 0 && y > 0) {
    const here = cost[x * width + y] as number;
    const same = a[aFrom + x - 1] === b[bFrom + y - 1];
    if (same && here === cost[(x - 1) * width + y - 1]) {
      matches.push({ a: aFrom + x - 1, b: bFrom + y - 1, length: 1 });
      [x, y] = [x - 1, y - 1];
    } else if (here === (cost[(x - 1) * width + y - 1] as number) + 1) [x, y] = [x - 1, y - 1];
    else if (here === (cost[(x - 1) * width + y] as number) + 1) x -= 1;
    else y -= 1;
  }
  for (const match of matches.reverse()) push(equal, match);
}

/** The position of `b` (0-based) that base `position` of `a` lines up with, counted on from the last equal block before it. */
export function mapPosition(diff: SequenceDiff, position: number): number {
  let [low, high] = [0, diff.equal.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((diff.equal[middle] as EqualBlock).a <= position) low = middle + 1;
    else high = middle;
  }
  const block = diff.equal[low - 1];
  if (!block) return 0;
  return block.b + (position - block.a);
}
