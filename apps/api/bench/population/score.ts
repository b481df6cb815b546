import type { ClassScore } from '../real/score.js';
import type { AlleleCall } from './calls.js';
import type { VariantClass } from './haplotypes.js';

/** The classes the table lists, in order. */
export const VARIANT_CLASSES: readonly VariantClass[] = ['SNV', 'INDEL'];

/**
 * Recall and precision of one slice of a call set, as bench/real scores a class. Calls in a band
 * are the true ones by their truth allele's band and the false ones by their called AF.
 */
export type Tally = ClassScore;

/** A call set's figures in one AF band. */
export interface BandScore {
  band: number;
  all: Tally;
  classes: Record<VariantClass, Tally>;
  /** Mean |called AF − truth AF| over the band's found alleles (undefined when none was found). */
  alleleFrequencyError: number | undefined;
}

/** A call set scored against the truth, per band and over all. */
export interface PopulationScore {
  bands: BandScore[];
  all: Tally;
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 1 : numerator / denominator);

function tally(expected: number, found: number, trueCalls: number, falseCalls: number): Tally {
  return {
    expected,
    found,
    called: trueCalls + falseCalls,
    falseCalls,
    recall: ratio(found, expected),
    precision: ratio(trueCalls, trueCalls + falseCalls),
  };
}

/** The band nearest to an allele frequency, on a log scale (a call at 3 % is nearer 2 % than 5 %). */
export function nearestBand(bands: readonly number[], alleleFrequency: number): number {
  const distance = (band: number) => Math.abs(Math.log(Math.max(alleleFrequency, 1e-6) / band));
  return bands.reduce((best, band) => (distance(band) < distance(best) ? band : best));
}

/**
 * Scores calls against truth alleles (both normalised, see `normaliseVcf`): a call is true when
 * its key (position and alleles) is a truth allele's. Recall per band counts the truth alleles
 * planted at that band's frequency; precision per band counts the true calls of those alleles and
 * the false calls whose called AF is nearest that band.
 */
export function scorePopulation(
  truth: readonly AlleleCall[],
  calls: readonly AlleleCall[],
  bands: readonly number[],
): PopulationScore {
  const truthByKey = new Map(truth.map((allele) => [allele.key, allele]));
  const matches = calls.map((call) => ({ call, truth: truthByKey.get(call.key) }));
  const bandOfTruth = (allele: AlleleCall) => nearestBand(bands, allele.alleleFrequency);
  const slice = (band: number, variantClass?: VariantClass) => {
    const inClass = (allele: AlleleCall) => variantClass === undefined || allele.class === variantClass;
    const expected = truth.filter((allele) => bandOfTruth(allele) === band && inClass(allele)).length;
    const found = matches.filter((match) => match.truth && bandOfTruth(match.truth) === band && inClass(match.truth));
    const falseCalls = matches.filter(
      (match) => !match.truth && nearestBand(bands, match.call.alleleFrequency) === band && inClass(match.call),
    ).length;
    return { tally: tally(expected, found.length, found.length, falseCalls), found };
  };
  const scored = bands.map((band) => {
    const { tally: all, found } = slice(band);
    const classes = Object.fromEntries(
      VARIANT_CLASSES.map((variantClass) => [variantClass, slice(band, variantClass).tally]),
    ) as Record<VariantClass, Tally>;
    const errors = found.map((match) => Math.abs(match.call.alleleFrequency - (match.truth?.alleleFrequency ?? 0)));
    const alleleFrequencyError =
      errors.length === 0 ? undefined : errors.reduce((sum, error) => sum + error, 0) / errors.length;
    return { band, all, classes, alleleFrequencyError };
  });
  const trueCalls = matches.filter((match) => match.truth).length;
  return { bands: scored, all: tally(truth.length, trueCalls, trueCalls, calls.length - trueCalls) };
}
