/** The gene (or contig) and change of a mutation of concern, as operators enter them. */
export interface ConcernInput {
  gene: string;
  aminoAcidChange: string;
  label: string | null;
}

/** Longest gene or contig name accepted. */
export const MAX_GENE_LENGTH = 100;
/** Longest label accepted. */
export const MAX_CONCERN_LABEL_LENGTH = 200;

const RESIDUE = String.raw`[A-Z*][1-9]\d*`;
const SPAN = `${RESIDUE}(?:_${RESIDUE})?`;
/**
 * Every one-letter form the annotator writes (native/src/annotate/hgvs.rs): `S450L`, `Q57*`,
 * `*57W`, `M1?`, `K23fs`, `K23del`, `K23_A25del`, `K23_A24insG`, `K23delinsGH`.
 */
const PROTEIN_CHANGE = new RegExp(
  `^(?:${RESIDUE}[A-Z*?]|${RESIDUE}fs|${SPAN}del|${RESIDUE}_${RESIDUE}ins[A-Z*]+|${SPAN}delins[A-Z*]+)$`,
);
/** A nucleotide change on a contig, as `concernKeys` writes it: `A23403G`, `AT100A`. */
const NUCLEOTIDE_CHANGE = /^[ACGTN]+[1-9]\d*[ACGTN]+$/;
/** Whitespace and control characters would break the TSV form and the `gene:change` keys. */
const UNPRINTABLE = /[\s\p{Cc}]/u;

/** Input that cannot be a mutation of concern; `field` names the input field at fault. */
export class ConcernInputError extends Error {
  override name = 'ConcernInputError';
  constructor(
    message: string,
    readonly field: 'gene' | 'aminoAcidChange' | 'label',
  ) {
    super(message);
  }
}

/** Whether `change` is a protein change the annotator writes or a nucleotide change. */
export function isConcernChange(change: string): boolean {
  return PROTEIN_CHANGE.test(change) || NUCLEOTIDE_CHANGE.test(change);
}

/** The input checked, with an empty label as none; throws {@link ConcernInputError} naming the field. */
export function validConcern(input: ConcernInput): ConcernInput {
  const { gene, aminoAcidChange } = input;
  if (gene.length === 0) throw new ConcernInputError('gene must not be empty', 'gene');
  if (gene.length > MAX_GENE_LENGTH) {
    throw new ConcernInputError(`gene must be at most ${MAX_GENE_LENGTH} characters`, 'gene');
  }
  if (UNPRINTABLE.test(gene)) throw new ConcernInputError(`gene "${gene}" must not contain spaces or tabs`, 'gene');
  if (!isConcernChange(aminoAcidChange)) {
    throw new ConcernInputError(
      `aminoAcidChange "${aminoAcidChange}" is neither an amino-acid change in one-letter codes ` +
        '(S450L, Q57*, K23fs, K23del, K23_A24insG, K23delinsGH) nor a nucleotide change (A23403G)',
      'aminoAcidChange',
    );
  }
  const label = input.label === null || input.label === '' ? null : input.label;
  if (label !== null && label.length > MAX_CONCERN_LABEL_LENGTH) {
    throw new ConcernInputError(`label must be at most ${MAX_CONCERN_LABEL_LENGTH} characters`, 'label');
  }
  if (label !== null && /[\t\r\n\p{Cc}]/u.test(label)) {
    throw new ConcernInputError('label must not contain tabs, line breaks or control characters', 'label');
  }
  return { gene, aminoAcidChange, label };
}
