import type { Contig } from '../real/fasta.js';
import { randomIndex, seededRandom } from './random.js';

/** The class a planted variant is scored in. */
export type VariantClass = 'SNV' | 'INDEL';

/** One variant planted on one minor haplotype, as a VCF record (an indel carries its anchor base). */
export interface PlantedVariant {
  contig: string;
  /** 1-based VCF POS. */
  position: number;
  ref: string;
  alt: string;
  class: VariantClass;
  /** The fraction of the mixture that carries it: its haplotype's share of the reads. */
  frequency: number;
  haplotype: string;
}

/** A haplotype of the mixture: the reference with its own variants applied, and its share of the reads. */
export interface Haplotype {
  name: string;
  fraction: number;
  sequence: string;
  variants: PlantedVariant[];
}

/** How the minor haplotypes are planted. */
export interface HaplotypePlan {
  /** Each minor haplotype's share of the reads; the reference haplotype takes the rest. */
  fractions: readonly number[];
  /** Bases between neighbouring variants (any two lie at least half of it apart). */
  spacing: number;
  /** Share of each haplotype's variants that are indels (the rest are SNVs). */
  indelShare: number;
  /** The longest indel planted. */
  maxIndelLength: number;
  seed: number;
}

/** Bases kept free of variants at each end of the contig, where reads and fragments thin out. */
const END_MARGIN = 1_000;
const BASES = 'ACGT';

/**
 * The mixture's haplotypes: first the reference itself, then one per fraction, each carrying its
 * own SNVs and short indels. Positions come from slots `spacing` apart, jittered within the middle
 * half of the slot and dealt out in turn after a seeded shuffle, so every haplotype has the same
 * number of variants spread over the whole contig and no two variants share a read's span when
 * `spacing` exceeds the read length.
 */
export function planHaplotypes(reference: Contig, plan: HaplotypePlan): Haplotype[] {
  const shares = plan.fractions.reduce((sum, fraction) => sum + fraction, 0);
  if (shares >= 1)
    throw new Error(`the minor haplotypes' fractions add up to ${shares}: nothing left for the major one`);
  const random = seededRandom(plan.seed);
  const sequence = reference.sequence;
  const slots: number[] = [];
  for (let start = END_MARGIN; start + plan.spacing <= sequence.length - END_MARGIN; start += plan.spacing) {
    slots.push(start + Math.floor(plan.spacing / 4) + randomIndex(random, Math.floor(plan.spacing / 2)));
  }
  for (let index = slots.length - 1; index > 0; index -= 1) {
    const other = randomIndex(random, index + 1);
    [slots[index], slots[other]] = [slots[other] as number, slots[index] as number];
  }
  const indelEvery = Math.max(1, Math.round(1 / plan.indelShare));
  const minors = plan.fractions.map((fraction, order) => {
    const name = `minor${order + 1}`;
    const positions = slots.filter((_, slot) => slot % plan.fractions.length === order).sort((a, b) => a - b);
    const variants = positions.flatMap((position, index) => {
      const variant = plantAt(reference, position, index % indelEvery === indelEvery - 1, plan, random);
      return variant ? [{ ...variant, frequency: fraction, haplotype: name }] : [];
    });
    return { name, fraction, sequence: applyVariants(sequence, variants), variants };
  });
  return [{ name: 'major', fraction: 1 - shares, sequence, variants: [] }, ...minors];
}

/** An SNV or indel at a 1-based position, or undefined where the reference is not plain ACGT there. */
function plantAt(
  reference: Contig,
  position: number,
  indel: boolean,
  plan: HaplotypePlan,
  random: () => number,
): Omit<PlantedVariant, 'frequency' | 'haplotype'> | undefined {
  const window = reference.sequence.slice(position - 1, position + plan.maxIndelLength + 1);
  if (!/^[ACGT]+$/.test(window)) return undefined;
  const base = window[0] as string;
  const contig = reference.name;
  if (!indel) {
    const others = BASES.replace(base, '');
    return { contig, position, ref: base, alt: others[randomIndex(random, 3)] as string, class: 'SNV' };
  }
  const length = 1 + randomIndex(random, plan.maxIndelLength);
  if (random() < 0.5) {
    const inserted = Array.from({ length }, () => BASES[randomIndex(random, 4)]).join('');
    return { contig, position, ref: base, alt: base + inserted, class: 'INDEL' };
  }
  return { contig, position, ref: window.slice(0, length + 1), alt: base, class: 'INDEL' };
}

/** The sequence with non-overlapping VCF-style variants (sorted by position) applied. */
export function applyVariants(sequence: string, variants: readonly PlantedVariant[]): string {
  const parts: string[] = [];
  let cursor = 1;
  for (const variant of variants) {
    if (variant.position < cursor) throw new Error(`variants overlap at ${variant.contig}:${variant.position}`);
    parts.push(sequence.slice(cursor - 1, variant.position - 1), variant.alt);
    cursor = variant.position + variant.ref.length;
  }
  parts.push(sequence.slice(cursor - 1));
  return parts.join('');
}
