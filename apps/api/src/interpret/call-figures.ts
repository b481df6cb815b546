/**
 * The figures of a call an interpretation was written for, stored with it as `writtenFor`, and the
 * class of statement they make: what says whether the text still speaks for the call.
 */
import { populationShare } from './population.js';
import { type InterpretableVariant, zygosity } from './rules.js';

/** The call figures an interpretation was written for (`interpretation.writtenFor`). */
export interface CallFigures {
  alleleFrequency: number;
  depth: number;
  /** Null for a population call. */
  genotype: string | null;
  /** The filters the call failed (empty: it passed). */
  filters: string[];
}

/** A move of the allele frequency, absolute, from which the rules' text is rewritten (1 percentage point). */
export const AF_MOVE_ABSOLUTE = 0.01;
/** A move of the allele frequency, relative to the written one, from which the rules' text is rewritten. */
export const AF_MOVE_RELATIVE = 0.1;
/** The factor by which depth must grow (or shrink) for the rules' text to be rewritten. */
export const DEPTH_MOVE_FACTOR = 2;

/** The figures of `variant` as an interpretation written now is written for. */
export function callFigures(variant: InterpretableVariant): CallFigures {
  return {
    alleleFrequency: variant.alleleFrequency,
    depth: variant.depth,
    genotype: variant.genotype ?? null,
    filters: [...(variant.filters ?? [])],
  };
}

/**
 * The class of statement the figures make: the population share (minority, majority, fixed) or
 * the zygosity, the genotype, and the filters failed. The model is asked again only when it changes.
 */
export function statementClass(figures: CallFigures): string {
  const standing =
    figures.genotype === null
      ? `population ${populationShare(figures.alleleFrequency)}`
      : `${zygosity(figures.alleleFrequency, figures.genotype)} ${figures.genotype}`;
  return `${standing}; filters ${[...figures.filters].sort().join(',') || 'PASS'}`;
}

/** `interpretation` with the figures of `variant` it was written for, as it is stored. */
export function writtenFor<T extends object>(
  interpretation: T,
  variant: InterpretableVariant,
): T & { writtenFor: CallFigures } {
  return { ...interpretation, writtenFor: callFigures(variant) };
}
