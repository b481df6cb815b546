import type { VariantEffect as VariantEffectShape } from '@helix/native';
import { builder } from './builder.js';

export const Consequence = builder.enumType('Consequence', {
  description: 'What a call does to a gene (Sequence Ontology terms in the VCF).',
  values: {
    SYNONYMOUS: { description: 'synonymous_variant: the codon changes, the amino acid does not.' },
    MISSENSE: { description: 'missense_variant: one amino acid for another.' },
    STOP_GAINED: { description: 'stop_gained: an amino acid becomes a stop codon.' },
    STOP_LOST: { description: 'stop_lost: the stop codon becomes an amino acid.' },
    START_LOST: { description: 'start_lost: the start codon is lost.' },
    FRAMESHIFT: { description: 'frameshift_variant: an indel whose length is not a multiple of 3.' },
    INFRAME_INSERTION: { description: 'inframe_insertion: whole codons inserted.' },
    INFRAME_DELETION: { description: 'inframe_deletion: whole codons deleted.' },
    INTERGENIC: { description: 'intergenic_variant: between genes (gene names both neighbours).' },
    UPSTREAM: { description: 'upstream_gene_variant: within 100 bp before a gene.' },
    NON_CODING: { description: 'non_coding_transcript_exon_variant: in an RNA gene.' },
  } as const satisfies Record<VariantEffectShape['consequence'], unknown>,
});

export const Impact = builder.enumType('Impact', {
  description: "snpEff's estimate of how disruptive an effect is.",
  values: ['HIGH', 'MODERATE', 'LOW', 'MODIFIER'] as const,
});

/** A call's effect on one gene (or between genes), as the annotator reports it. */
export const VariantEffect = builder.objectRef<VariantEffectShape>('VariantEffect').implement({
  description: 'What a call does to one gene; a call in overlapping genes has one effect each.',
  fields: (t) => ({
    gene: t.string({
      nullable: true,
      description: 'Gene name; "left-right" between genes.',
      resolve: (effect) => effect.gene ?? null,
    }),
    locusTag: t.string({ nullable: true, resolve: (effect) => effect.locusTag ?? null }),
    product: t.string({
      nullable: true,
      description: 'What the gene makes, e.g. "RNA polymerase subunit beta".',
      resolve: (effect) => effect.product ?? null,
    }),
    consequence: t.field({ type: Consequence, resolve: (effect) => effect.consequence }),
    soTerm: t.string({ description: 'The Sequence Ontology term, e.g. "missense_variant".', resolve: (e) => e.soTerm }),
    impact: t.field({ type: Impact, resolve: (effect) => effect.impact }),
    codonChange: t.string({
      nullable: true,
      description: 'Reference and alternate codons, changed bases upper case: "gAc/gGc".',
      resolve: (effect) => effect.codonChange ?? null,
    }),
    aminoAcidChange: t.string({
      nullable: true,
      description: 'One-letter amino-acid change: "S229N", "D614G", "Q57*".',
      resolve: (effect) => effect.aminoAcidChange ?? null,
    }),
    hgvsC: t.string({
      nullable: true,
      description: 'HGVS on the coding sequence: "c.1841A>G".',
      resolve: (effect) => effect.hgvsC ?? null,
    }),
    hgvsP: t.string({
      nullable: true,
      description: 'HGVS on the protein, three-letter codes: "p.Ser229Asn".',
      resolve: (effect) => effect.hgvsP ?? null,
    }),
    distance: t.int({
      nullable: true,
      description: 'Bases to the gene (upstream) or to the nearest gene (intergenic).',
      resolve: (effect) => effect.distance ?? null,
    }),
  }),
});
