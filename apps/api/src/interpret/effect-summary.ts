/**
 * How the rules put a variant's effects on genes into words: consequence, gene, product and
 * protein change, what that likely means, and the neighbouring genes of an intergenic variant.
 */
import type { VariantEffect } from '@helix/native';

/** A GraphQL `Consequence` value. */
export type Consequence = VariantEffect['consequence'];

/** The consequence as a biologist says it. */
export const CONSEQUENCE_WORDS: Record<Consequence, string> = {
  SYNONYMOUS: 'synonymous variant',
  MISSENSE: 'missense variant',
  STOP_GAINED: 'stop gained',
  STOP_LOST: 'stop lost',
  START_LOST: 'start lost',
  FRAMESHIFT: 'frameshift',
  INFRAME_INSERTION: 'in-frame insertion',
  INFRAME_DELETION: 'in-frame deletion',
  INTERGENIC: 'intergenic variant',
  UPSTREAM: 'upstream gene variant',
  NON_CODING: 'non-coding transcript variant',
};

/** What a consequence likely does to the protein, where the rules can say it. */
export const CONSEQUENCE_READINGS: Partial<Record<Consequence, string>> = {
  SYNONYMOUS: 'probably silent',
  STOP_GAINED: 'likely loss of function',
  FRAMESHIFT: 'likely loss of function',
  START_LOST: 'likely loss of function',
  STOP_LOST: 'the protein reads on past its stop',
};

/** How an effect names its gene: name, else locus tag, else transcript. */
export function geneLabel(effect: VariantEffect): string {
  return effect.gene ?? effect.locusTag ?? effect.featureId ?? 'an unnamed gene';
}

function geneWithProduct(effect: VariantEffect): string {
  return effect.product ? `${geneLabel(effect)} (${effect.product})` : geneLabel(effect);
}

/** The protein (or transcript) change: `p.Ser450Leu (S450L)`, or the HGVS.c/n alone. */
function change(effect: VariantEffect): string | undefined {
  if (effect.hgvsP) return effect.aminoAcidChange ? `${effect.hgvsP} (${effect.aminoAcidChange})` : effect.hgvsP;
  return effect.hgvsC;
}

function intergenic(effect: VariantEffect): string {
  const neighbours = effect.neighbours ?? [];
  const [left, right] = neighbours;
  if (left && right) {
    return `intergenic variant between ${left.gene} (${left.distance} bp away) and ${right.gene} (${right.distance} bp away)`;
  }
  if (left) return `intergenic variant, ${left.distance} bp from ${left.gene}`;
  // Effects stored before neighbours were listed name them as one `left-right` gene.
  if (effect.gene) {
    const nearest = effect.distance === undefined ? '' : ` (nearest ${effect.distance} bp away)`;
    return `intergenic variant near ${effect.gene}${nearest}`;
  }
  return 'intergenic variant, no gene on the contig';
}

/** One effect in words, lower case: "missense variant in rpoB (RNA polymerase subunit beta): p.Ser450Leu (S450L)". */
export function describeEffect(effect: VariantEffect): string {
  const words = CONSEQUENCE_WORDS[effect.consequence];
  if (effect.consequence === 'INTERGENIC') return intergenic(effect);
  if (effect.consequence === 'UPSTREAM') {
    const before = effect.distance === undefined ? 'before' : `${effect.distance} bp before`;
    return `${words}, ${before} ${geneWithProduct(effect)}`;
  }
  const changed = change(effect);
  const reading = CONSEQUENCE_READINGS[effect.consequence];
  return `${words} in ${geneWithProduct(effect)}${changed ? `: ${changed}` : ''}${reading ? `, ${reading}` : ''}`;
}

/** Every effect in words, joined ("… and …"), or undefined when the call has none. */
export function describeEffects(effects: readonly VariantEffect[]): string | undefined {
  if (effects.length === 0) return undefined;
  return effects.map(describeEffect).join(' and ');
}
