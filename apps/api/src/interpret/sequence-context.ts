/**
 * What the reference looks like around a variant: homopolymers, short tandem repeats, CpG sites.
 * Pure functions over a window of reference bases; no I/O.
 */

/** Bases of the reference around a site. `start` is the 1-based position of `sequence[0]`. */
export interface ReferenceWindow {
  contig: string;
  start: number;
  sequence: string;
}

/** A repetitive stretch of the reference the variant lies in or next to. */
export interface RepeatContext {
  kind: 'homopolymer' | 'tandem-repeat';
  /** The repeated unit: one base for a homopolymer, 2–6 bases for a short tandem repeat. */
  unit: string;
  /** Whole copies of the unit in the reference stretch. */
  copies: number;
  /** Length of the stretch in bases. */
  length: number;
  /** The stretch reaches the edge of the window: it may be longer than reported. */
  truncated: boolean;
}

/** Shortest homopolymer reported (sequencing chemistries slip from about four bases on). */
export const MIN_HOMOPOLYMER_LENGTH = 4;
/** Fewest copies of a 2–6 base unit reported as a short tandem repeat. */
export const MIN_TANDEM_COPIES = 3;
/** Longest unit of a short tandem repeat (microsatellite). */
export const MAX_TANDEM_UNIT = 6;

/** 0-based index of 1-based `position` in the window, or -1 when outside it. */
export function indexInWindow(window: ReferenceWindow, position: number): number {
  const index = position - window.start;
  return index >= 0 && index < window.sequence.length ? index : -1;
}

/** Length of the run of `base` starting at `from` and going in `step` direction (±1). */
function runLength(sequence: string, from: number, base: string, step: 1 | -1): number {
  let length = 0;
  for (let at = from; at >= 0 && at < sequence.length && sequence[at] === base; at += step) length += 1;
  return length;
}

/**
 * The longest homopolymer that contains the base at `index` or touches it from either side
 * (a substitution next to a run can extend it), or undefined below {@link MIN_HOMOPOLYMER_LENGTH}.
 */
export function homopolymerAround(sequence: string, index: number): RepeatContext | undefined {
  const candidates: { base: string; begin: number; length: number }[] = [];
  const site = sequence[index];
  if (site !== undefined) {
    const left = runLength(sequence, index - 1, site, -1);
    candidates.push({ base: site, begin: index - left, length: left + 1 + runLength(sequence, index + 1, site, 1) });
  }
  const before = sequence[index - 1];
  if (before !== undefined && before !== site) {
    const length = runLength(sequence, index - 1, before, -1);
    candidates.push({ base: before, begin: index - length, length });
  }
  const after = sequence[index + 1];
  if (after !== undefined && after !== site) {
    candidates.push({ base: after, begin: index + 1, length: runLength(sequence, index + 1, after, 1) });
  }
  const best = candidates.reduce<(typeof candidates)[number] | undefined>(
    (longest, candidate) => (candidate.length > (longest?.length ?? 0) ? candidate : longest),
    undefined,
  );
  if (!best || best.length < MIN_HOMOPOLYMER_LENGTH || best.base === 'N') return undefined;
  return {
    kind: 'homopolymer',
    unit: best.base,
    copies: best.length,
    length: best.length,
    truncated: best.begin === 0 || best.begin + best.length === sequence.length,
  };
}

/**
 * The longest short tandem repeat (unit of 2–6 bases, at least {@link MIN_TANDEM_COPIES} copies)
 * covering the base at `index`, or undefined.
 */
export function tandemRepeatAround(sequence: string, index: number): RepeatContext | undefined {
  let best: RepeatContext | undefined;
  for (let period = 2; period <= MAX_TANDEM_UNIT; period += 1) {
    // The maximal stretch with sequence[i] === sequence[i + period] that covers `index`: try each
    // phase so that `index` may sit anywhere inside a unit.
    for (let phase = 0; phase < period; phase += 1) {
      const from = index - phase;
      if (from < 0 || from + period > sequence.length) continue;
      let end = from + period;
      while (end < sequence.length && sequence[end] === sequence[end - period]) end += 1;
      let begin = from;
      while (begin > 0 && sequence[begin - 1] === sequence[begin - 1 + period]) begin -= 1;
      const length = end - begin;
      const copies = Math.floor(length / period);
      if (copies < MIN_TANDEM_COPIES || length <= (best?.length ?? 0)) continue;
      const unit = sequence.slice(begin, begin + period);
      // A unit that is itself a repeat ("AA", "ATAT") belongs to a shorter period.
      if (minimalPeriod(unit) !== period || unit.includes('N')) continue;
      best = { kind: 'tandem-repeat', unit, copies, length, truncated: begin === 0 || end === sequence.length };
    }
  }
  return best;
}

/** Smallest `p` dividing `text.length` such that `text` is its first `p` characters repeated. */
export function minimalPeriod(text: string): number {
  for (let period = 1; period < text.length; period += 1) {
    if (text.length % period !== 0) continue;
    let repeats = true;
    for (let at = period; at < text.length && repeats; at += 1) repeats = text[at] === text[at - period];
    if (repeats) return period;
  }
  return text.length;
}

/**
 * The repeat an indel lies in: copies of the indel's own unit (its minimal period) in the reference
 * on both sides of the point between the anchor (`anchorIndex`) and the next base; a deletion's
 * copies include the deleted ones. Reported when the longer allele holds a homopolymer of
 * {@link MIN_HOMOPOLYMER_LENGTH} bases or {@link MIN_TANDEM_COPIES} copies of a 2–6 base unit;
 * `copies` and `length` describe the reference.
 */
export function indelRepeat(
  sequence: string,
  anchorIndex: number,
  indelBases: string,
  kind: 'insertion' | 'deletion',
): RepeatContext | undefined {
  if (indelBases.length === 0) return undefined;
  const period = minimalPeriod(indelBases);
  if (period > MAX_TANDEM_UNIT) return undefined;
  const unit = indelBases.slice(0, period);
  if (unit.includes('N')) return undefined;
  const point = anchorIndex + 1;
  let right = 0;
  while (sequence.startsWith(unit, point + right * period)) right += 1;
  let left = 0;
  while (point - (left + 1) * period >= 0 && sequence.startsWith(unit, point - (left + 1) * period)) left += 1;
  const copies = left + right;
  const longerAlleleCopies = kind === 'insertion' ? copies + indelBases.length / period : copies;
  const repetitive =
    period === 1 ? longerAlleleCopies >= MIN_HOMOPOLYMER_LENGTH : longerAlleleCopies >= MIN_TANDEM_COPIES;
  if (!repetitive || copies === 0) return undefined;
  const begin = point - left * period;
  return {
    kind: period === 1 ? 'homopolymer' : 'tandem-repeat',
    unit,
    copies,
    length: copies * period,
    truncated: begin <= 0 || begin + copies * period >= sequence.length,
  };
}

/** True when the base at `index` is the C or the G of a CpG dinucleotide (a mutation hotspot). */
export function isCpG(sequence: string, index: number): boolean {
  const base = sequence[index];
  return (base === 'C' && sequence[index + 1] === 'G') || (base === 'G' && sequence[index - 1] === 'C');
}
