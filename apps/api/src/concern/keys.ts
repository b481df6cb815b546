import type { VariantEffect } from '@helix/native';

/** What a mutation of concern names: a gene and an amino-acid change, or a contig and a nucleotide change. */
export interface ConcernKey {
  /** A gene name (`rpoB`), or a contig name for a nucleotide change. */
  gene: string;
  /** `S450L` (one-letter amino acids, `*` for stop), or `A23403G` for a nucleotide change. */
  aminoAcidChange: string;
}

/** A call as the keys need it. */
export interface KeyedCall {
  contig: string;
  position: number;
  ref: string;
  alt: string;
  effects: readonly VariantEffect[];
}

/** The text form of a key, as stored in `variants.protein_changes`: `rpoB:S450L`, `NC_045512.2:A23403G`. */
export function concernKeyText(key: ConcernKey): string {
  return `${key.gene}:${key.aminoAcidChange}`;
}

/**
 * Every key a call answers to: `gene:change` for each effect with an amino-acid change, and
 * `contig:REFposALT` for the call itself, so a list entry of either kind finds it.
 */
export function concernKeys(call: KeyedCall): string[] {
  const keys = new Set<string>();
  for (const effect of call.effects) {
    if (effect.gene !== undefined && effect.aminoAcidChange !== undefined) {
      keys.add(concernKeyText({ gene: effect.gene, aminoAcidChange: effect.aminoAcidChange }));
    }
  }
  keys.add(concernKeyText({ gene: call.contig, aminoAcidChange: `${call.ref}${call.position}${call.alt}` }));
  return [...keys];
}
