import { type ConcernInput, ConcernInputError, validConcern } from './change.js';
import type { MutationOfConcern } from './store.js';

/** The header line of the TSV form, field names as in GraphQL. */
export const CONCERN_TSV_HEADER = 'gene\taminoAcidChange\tlabel';

/** A TSV line that cannot be read; `line` is 1-based, `field` names the column at fault. */
export class ConcernTsvError extends Error {
  override name = 'ConcernTsvError';
  constructor(
    message: string,
    readonly line: number,
    readonly field: string | undefined,
  ) {
    super(`line ${line}${field ? `, ${field}` : ''}: ${message}`);
  }
}

/** The list as TSV: the header, then one line per entry (an empty label for none). */
export function formatConcernTsv(entries: readonly MutationOfConcern[]): string {
  const lines = entries.map((entry) => `${entry.gene}\t${entry.aminoAcidChange}\t${entry.label ?? ''}`);
  return `${[CONCERN_TSV_HEADER, ...lines].join('\n')}\n`;
}

/**
 * Reads the TSV form: the header first, then `gene`, `aminoAcidChange` and an optional `label`
 * per line; blank lines and lines starting with `#` are skipped. Every entry is validated, and a
 * gene and change given twice is refused, so a file is taken whole or not at all.
 * @throws ConcernTsvError naming the first line at fault.
 */
export function parseConcernTsv(text: string): ConcernInput[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const entries: ConcernInput[] = [];
  const seenAt = new Map<string, number>();
  let headerSeen = false;
  for (const [index, line] of lines.entries()) {
    const number = index + 1;
    if (line.trim() === '' || line.startsWith('#')) continue;
    if (!headerSeen) {
      if (line.trimEnd() !== CONCERN_TSV_HEADER) {
        throw new ConcernTsvError(
          `the first line must be the header "gene<TAB>aminoAcidChange<TAB>label", not "${line}"`,
          number,
          undefined,
        );
      }
      headerSeen = true;
      continue;
    }
    const fields = line.split('\t');
    if (fields.length < 2 || fields.length > 3) {
      throw new ConcernTsvError(
        `expected 2 or 3 tab-separated fields (gene, aminoAcidChange, label), found ${fields.length}`,
        number,
        undefined,
      );
    }
    const [gene = '', aminoAcidChange = '', label = ''] = fields;
    let entry: ConcernInput;
    try {
      entry = validConcern({ gene, aminoAcidChange, label });
    } catch (error) {
      if (error instanceof ConcernInputError) throw new ConcernTsvError(error.message, number, error.field);
      throw error;
    }
    const key = `${entry.gene}\t${entry.aminoAcidChange}`;
    const earlier = seenAt.get(key);
    if (earlier !== undefined) {
      throw new ConcernTsvError(
        `${entry.gene} ${entry.aminoAcidChange} is already on line ${earlier}`,
        number,
        'aminoAcidChange',
      );
    }
    seenAt.set(key, number);
    entries.push(entry);
  }
  if (!headerSeen) throw new ConcernTsvError(`the header "${CONCERN_TSV_HEADER}" is missing`, 1, undefined);
  return entries;
}
