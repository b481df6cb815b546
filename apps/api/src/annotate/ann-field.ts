import type { VariantEffect } from '@helix/native';

/** The snpEff "VCF annotation format" fields of one `ANN` entry, in order. */
export const ANN_FIELDS = [
  'Allele',
  'Annotation',
  'Annotation_Impact',
  'Gene_Name',
  'Gene_ID',
  'Feature_Type',
  'Feature_ID',
  'Transcript_BioType',
  'Rank',
  'HGVS.c',
  'HGVS.p',
  'cDNA.pos / cDNA.length',
  'CDS.pos / CDS.length',
  'AA.pos / AA.length',
  'Distance',
  'ERRORS / WARNINGS / INFO',
] as const;

/** The `##INFO` line for `ANN`, worded as snpEff writes it so `ANN` readers find the field order. */
export const ANN_HEADER = `##INFO=<ID=ANN,Number=.,Type=String,Description="Functional annotations: '${ANN_FIELDS.join(' | ')}' ">`;

/** Most severe first, as snpEff orders the entries of one variant. */
const IMPACT_ORDER: Record<VariantEffect['impact'], number> = { HIGH: 0, MODERATE: 1, LOW: 2, MODIFIER: 3 };

/** Characters that would break the INFO column or the entry's fields. */
const RESERVED = /[|,;=\s]/g;
const HAS_RESERVED = /[|,;=\s]/;

function clean(value: string | null | undefined): string {
  if (value == null) return '';
  // Most values hold none: testing first spares building a copy of each (a third of the VCF's ANN time).
  return HAS_RESERVED.test(value) ? value.replace(RESERVED, '_') : value;
}

function within(value: { position: number; length: number } | null | undefined): string {
  return value ? `${value.position}/${value.length}` : '';
}

/** One `ANN` entry: the 16 fields joined by `|`. */
export function annEntry(allele: string, effect: VariantEffect): string {
  const genic = effect.consequence !== 'INTERGENIC';
  const fields = [
    allele,
    effect.soTerm,
    effect.impact,
    clean(effect.gene),
    clean(effect.locusTag),
    genic ? 'transcript' : 'intergenic_region',
    clean(genic ? effect.featureId : effect.locusTag),
    clean(effect.biotype),
    within(effect.rank),
    clean(effect.hgvsC),
    clean(effect.hgvsP),
    within(effect.cdna),
    within(effect.cds),
    within(effect.protein),
    effect.distance == null ? '' : String(effect.distance),
    effect.warnings.map(clean).join('&'),
  ];
  return fields.join('|');
}

/** Effects most severe first (by impact; the annotator's order within one impact). */
export function bySeverity(effects: readonly VariantEffect[]): VariantEffect[] {
  return [...effects].sort((a, b) => IMPACT_ORDER[a.impact] - IMPACT_ORDER[b.impact]);
}

/** The `ANN=` value for a variant's effects, one entry each, most severe first; `undefined` for none. */
export function annField(allele: string, effects: readonly VariantEffect[]): string | undefined {
  if (effects.length === 0) return undefined;
  return bySeverity(effects)
    .map((effect) => annEntry(allele, effect))
    .join(',');
}

/**
 * The ANN values the native annotator wrote with the effects it gave ({@link rememberAnnField}),
 * by the effects array a call was given: a stored run's VCF takes them rather than writing them
 * from the effects again.
 */
const writtenAnn = new WeakMap<readonly VariantEffect[], { allele: string; ann: string | undefined }>();

/** Keeps `ann`, the ANN value of `effects` for `allele`, for {@link annFieldOf}. */
export function rememberAnnField(allele: string, effects: readonly VariantEffect[], ann: string | undefined): void {
  writtenAnn.set(effects, { allele, ann });
}

/** {@link annField}, taken from what the annotator wrote with these very effects when it can be. */
export function annFieldOf(allele: string, effects: readonly VariantEffect[]): string | undefined {
  const written = writtenAnn.get(effects);
  return written?.allele === allele ? written.ann : annField(allele, effects);
}
