/**
 * The rule-based interpreter: deterministic, offline, always on. Every confirmed variant gets its
 * interpretation, with or without a model.
 */
import type { VariantRecord } from '../pipeline/records.js';
import { describeEffects } from './effect-summary.js';
import {
  describeFilters,
  describeShare,
  describeStrands,
  type PopulationEvidence,
  type PopulationFacts,
  percent,
  populationFacts,
} from './population.js';
import {
  homopolymerAround,
  indelRepeat,
  indexInWindow,
  isCpG,
  type ReferenceWindow,
  type RepeatContext,
  tandemRepeatAround,
} from './sequence-context.js';

/**
 * What the interpreters need to know of a variant call; a population call also brings what it has
 * of its per-strand counts, strand bias and filters.
 */
export type InterpretableVariant = {
  /**
   * VCF `GT` (`1` when haploid); null for a population call (no genotype); unknown (undefined)
   * reads as diploid.
   */
  genotype?: string | null;
} & Partial<PopulationEvidence> &
  Pick<
    VariantRecord,
    | 'runId'
    | 'contig'
    | 'position'
    | 'ref'
    | 'alt'
    | 'type'
    | 'depth'
    | 'altCount'
    | 'alleleFrequency'
    | 'quality'
    | 'effects'
  >;

/** Transition (purine ↔ purine, pyrimidine ↔ pyrimidine) or transversion. */
export type SubstitutionClass = 'transition' | 'transversion';

/**
 * Zygosity: `haploid` for a haploid call (genotype `1`: one copy, so neither homo- nor
 * heterozygous), else as read from the allele frequency of a diploid sample.
 */
export type Zygosity = 'homozygous' | 'heterozygous' | 'subclonal' | 'haploid';

/** How far the call's quality can be trusted. */
export type QualityBand = 'high' | 'medium' | 'low';

/** An SNV's substitution. */
export interface SubstitutionFacts {
  class: SubstitutionClass;
  /** The site is the C or G of a CpG dinucleotide (a methylation-driven C>T hotspot). */
  cpg: boolean;
}

/** An insertion's or deletion's size and effect on a reading frame. */
export interface IndelFacts {
  /** Inserted or deleted bases (without the VCF anchor base). */
  bases: string;
  length: number;
  /** `length % 3 !== 0`: would shift the reading frame inside a coding sequence. */
  frameshift: boolean;
}

/** The rules' interpretation, stored as the variant's `interpretation` with `source: "rules"`. */
export interface RulesInterpretation {
  source: 'rules';
  /** One sentence for people. */
  summary: string;
  type: VariantRecord['type'];
  substitution: SubstitutionFacts | null;
  indel: IndelFacts | null;
  /** Homopolymer or short tandem repeat at the site; null when none (or no reference at hand). */
  repeat: RepeatContext | null;
  /** False when the reference around the site could not be read: `repeat` and `cpg` are unknown. */
  referenceContext: boolean;
  /** Null for a population call, which has no zygosity: see `population`. */
  zygosity: Zygosity | null;
  /** The share, strand support and filters of a population call; null for a genotyped call. */
  population: PopulationFacts | null;
  qualityBand: QualityBand;
  alleleFrequency: number;
  depth: number;
  quality: number;
}

/** The genotype of a haploid call (ploidy 1). */
export const HAPLOID_GENOTYPE = '1';
/** Allele frequency from which a call reads as homozygous. */
export const HOMOZYGOUS_MIN_AF = 0.8;
/** Allele frequency below which a call reads as subclonal (below a heterozygote's ~0.5). */
export const HETEROZYGOUS_MIN_AF = 0.3;
/** Phred quality from which a call is in the high band. */
export const HIGH_QUALITY_MIN = 50;
/** Phred quality from which a call is in the medium band. */
export const MEDIUM_QUALITY_MIN = 30;

const PURINES = new Set(['A', 'G']);
const PYRIMIDINES = new Set(['C', 'T']);

/** Transition or transversion; undefined when `ref`/`alt` are not single distinct bases. */
export function substitutionClass(ref: string, alt: string): SubstitutionClass | undefined {
  if (ref.length !== 1 || alt.length !== 1 || ref === alt) return undefined;
  if ((PURINES.has(ref) && PURINES.has(alt)) || (PYRIMIDINES.has(ref) && PYRIMIDINES.has(alt))) return 'transition';
  if ((PURINES.has(ref) || PYRIMIDINES.has(ref)) && (PURINES.has(alt) || PYRIMIDINES.has(alt))) return 'transversion';
  return undefined;
}

/** Inserted or deleted bases of a VCF-style indel (the alleles share their leading anchor base). */
export function indelBases(ref: string, alt: string): string {
  const length = Math.abs(ref.length - alt.length);
  const longer = ref.length > alt.length ? ref : alt;
  let shared = 0;
  while (shared < ref.length && shared < alt.length && ref[shared] === alt[shared]) shared += 1;
  // In a repeat the shared prefix runs past the anchor; the indel is then the longer allele's tail.
  const begin = Math.min(shared, longer.length - length);
  return longer.slice(begin, begin + length);
}

/** Size and frame effect of an indel. */
export function indelFacts(ref: string, alt: string): IndelFacts {
  const bases = indelBases(ref, alt);
  return { bases, length: bases.length, frameshift: bases.length % 3 !== 0 };
}

/** Zygosity class of a call's allele frequency, or `haploid` for a haploid genotype (`1`). */
export function zygosity(alleleFrequency: number, genotype?: string | null): Zygosity {
  if (genotype === HAPLOID_GENOTYPE) return 'haploid';
  if (alleleFrequency >= HOMOZYGOUS_MIN_AF) return 'homozygous';
  if (alleleFrequency >= HETEROZYGOUS_MIN_AF) return 'heterozygous';
  return 'subclonal';
}

/** Band of a Phred-scaled call quality. */
export function qualityBand(quality: number): QualityBand {
  if (quality >= HIGH_QUALITY_MIN) return 'high';
  if (quality >= MEDIUM_QUALITY_MIN) return 'medium';
  return 'low';
}

/** The repeat context of a variant in `window`, or null. */
export function repeatContext(variant: InterpretableVariant, window: ReferenceWindow): RepeatContext | null {
  const index = indexInWindow(window, variant.position);
  if (index < 0) return null;
  if (variant.type === 'SNV') {
    const homopolymer = homopolymerAround(window.sequence, index);
    const tandem = tandemRepeatAround(window.sequence, index);
    // A homopolymer also repeats with periods 2–6; prefer it unless the tandem repeat is longer.
    if (homopolymer && (!tandem || tandem.length <= homopolymer.length)) return homopolymer;
    return tandem ?? null;
  }
  const kind = variant.type === 'INSERTION' ? 'insertion' : 'deletion';
  return indelRepeat(window.sequence, index, indelBases(variant.ref, variant.alt), kind) ?? null;
}

function describeRepeat(repeat: RepeatContext): string {
  const atLeast = repeat.truncated ? '≥' : '';
  return repeat.kind === 'homopolymer'
    ? `in a ${atLeast}${repeat.length} bp ${repeat.unit} homopolymer`
    : `in a (${repeat.unit})×${atLeast}${repeat.copies} short tandem repeat`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Interprets a variant by rules: substitution class or indel effect, repeat and CpG context from
 * the reference `window` (undefined when the reference is not at hand), zygosity and quality band,
 * and a one-sentence summary that leads with the effects on genes when the call has any (a
 * subclonal call then reads as a minority variant at its allele frequency rather than a zygosity).
 * A population call (genotype null) is spoken of by its share of the population, its depth and
 * per-strand support, and its filters, never by a zygosity. Deterministic: the same input gives
 * the same output.
 */
export function interpretByRules(variant: InterpretableVariant, window?: ReferenceWindow): RulesInterpretation {
  const index = window ? indexInWindow(window, variant.position) : -1;
  const known = window !== undefined && index >= 0;
  const substitutionKind = variant.type === 'SNV' ? substitutionClass(variant.ref, variant.alt) : undefined;
  const substitution: SubstitutionFacts | null = substitutionKind
    ? { class: substitutionKind, cpg: known && isCpG(window.sequence, index) }
    : null;
  const indel = variant.type === 'SNV' ? null : indelFacts(variant.ref, variant.alt);
  const repeat = known ? repeatContext(variant, window) : null;
  const population = variant.genotype === null ? populationFacts(variant.alleleFrequency, variant) : null;
  const zygosityClass = population ? null : zygosity(variant.alleleFrequency, variant.genotype);
  const band = qualityBand(variant.quality);

  const effects = describeEffects(variant.effects);
  const site = `${variant.contig}:${variant.position}`;
  let what: string;
  if (indel) {
    const verb = variant.type === 'INSERTION' ? 'insertion' : 'deletion';
    const bases = indel.length <= 12 ? ` of ${indel.bases}` : '';
    // With effects the frame is named there, for the gene it is in.
    const frame = effects ? '' : ` (${indel.frameshift ? 'frameshift' : 'in-frame'} if coding)`;
    what = `${indel.length} bp ${verb}${bases}${frame}`;
  } else {
    what = `${variant.ref}>${variant.alt} ${substitution?.class ?? 'substitution'}`;
    if (substitution?.cpg) what += ' at a CpG site';
  }
  const context = repeat ? ` ${describeRepeat(repeat)}` : '';
  const caution =
    repeat && band !== 'high' && indel ? '; indels in repeats are a common sequencing artefact, confirm it' : '';
  const support = `over ${variant.depth} reads, ${band} quality (Q${Math.round(variant.quality)})${caution}`;
  const af = `AF ${variant.alleleFrequency.toFixed(2)}`;
  let summary: string;
  if (population) {
    summary = populationSummary({ population, variant, effects, what, site, context, band, caution });
  } else if (!effects) {
    summary = `${capitalise(`${zygosityClass} ${what}`)} at ${site}${context}, ${af} ${support}.`;
  } else if (zygosityClass === 'subclonal') {
    const minority = `minority variant at ${percent(variant.alleleFrequency)}`;
    summary = `${capitalise(effects)}; ${what} at ${site}${context}, ${minority} ${support}.`;
  } else {
    summary = `${capitalise(effects)}; ${zygosityClass} ${what} at ${site}${context}, ${af} ${support}.`;
  }

  return {
    source: 'rules',
    summary,
    type: variant.type,
    substitution,
    indel,
    repeat,
    referenceContext: known,
    zygosity: zygosityClass,
    population,
    qualityBand: band,
    alleleFrequency: variant.alleleFrequency,
    depth: variant.depth,
    quality: variant.quality,
  };
}

/** The parts of a population call's summary sentence. */
interface PopulationSummaryParts {
  population: PopulationFacts;
  variant: InterpretableVariant;
  effects: string | undefined;
  what: string;
  site: string;
  context: string;
  band: QualityBand;
  caution: string;
}

/**
 * `Subclonal minority variant at 4.4 %: A>G transition at chr1:11, of 480 reads (12 forward / 9
 * reverse reads), high quality (Q60); flagged StrandBias: …` (led by the effects when it has any).
 */
function populationSummary(parts: PopulationSummaryParts): string {
  const { population, variant, effects, what, site, context, band, caution } = parts;
  const share = describeShare(population, variant.alleleFrequency);
  const strands = describeStrands(population);
  const reads = `of ${variant.depth} reads${strands ? ` (${strands})` : ''}`;
  const quality = `${band} quality (Q${Math.round(variant.quality)})${caution}`;
  const filters = describeFilters(population);
  const tail = `${reads}, ${quality}${filters ? `; ${filters}` : ''}.`;
  return effects
    ? `${capitalise(effects)}; ${what} at ${site}${context}, ${share} ${tail}`
    : `${capitalise(share)}: ${what} at ${site}${context}, ${tail}`;
}
