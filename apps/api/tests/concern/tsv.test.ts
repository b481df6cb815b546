import { describe, expect, it } from 'vitest';
import { ConcernInputError, validConcern } from '../../src/concern/change.js';
import { ConcernTsvError, formatConcernTsv, parseConcernTsv } from '../../src/concern/tsv.js';

const listed = (gene: string, aminoAcidChange: string, label: string | null) => ({
  id: `${gene}-${aminoAcidChange}`,
  gene,
  aminoAcidChange,
  label,
  createdAt: new Date(),
});

function tsvError(text: string): ConcernTsvError {
  try {
    parseConcernTsv(text);
  } catch (error) {
    if (error instanceof ConcernTsvError) return error;
    throw error;
  }
  throw new Error('the TSV was accepted');
}

describe('the changes a mutation of concern may name', () => {
  it.each([
    'S450L',
    'Q57*',
    '*57W',
    'M1?',
    'K23fs',
    'K23del',
    'K23_A25del',
    'K23_A24insG',
    'K23delinsGH',
    'A23403G',
    'AT100A',
  ])('should accept %s, a form the annotator writes', (change) => {
    expect(validConcern({ gene: 'rpoB', aminoAcidChange: change, label: null }).aminoAcidChange).toBe(change);
  });

  it.each(['S450', '450L', 's450l', 'S0L', 'S450LL', 'Ser450Leu', 'S 450 L', ''])(
    'should refuse %s, naming the aminoAcidChange field',
    (change) => {
      expect(() => validConcern({ gene: 'rpoB', aminoAcidChange: change, label: null })).toThrow(
        expect.objectContaining({ field: 'aminoAcidChange' }),
      );
    },
  );

  it('should refuse an empty gene or one with a space, and a label with a tab', () => {
    const refused = (gene: string, label: string | null) => {
      try {
        validConcern({ gene, aminoAcidChange: 'S450L', label });
      } catch (error) {
        return error instanceof ConcernInputError ? error.field : 'other';
      }
      return 'accepted';
    };
    expect(refused('', null)).toBe('gene');
    expect(refused('rpo B', null)).toBe('gene');
    expect(refused('rpoB', 'rifampicin\tresistance')).toBe('label');
  });

  it('should take an empty label as none', () => {
    expect(validConcern({ gene: 'S', aminoAcidChange: 'E484K', label: '' }).label).toBeNull();
  });
});

describe('the TSV form of the list', () => {
  it('should read back what it writes, an empty label as none', () => {
    const entries = [listed('S', 'E484K', 'immune escape'), listed('rpoB', 'S450L', null)];
    const text = formatConcernTsv(entries);
    expect(text).toBe('gene\taminoAcidChange\tlabel\nS\tE484K\timmune escape\nrpoB\tS450L\t\n');
    expect(parseConcernTsv(text)).toEqual([
      { gene: 'S', aminoAcidChange: 'E484K', label: 'immune escape' },
      { gene: 'rpoB', aminoAcidChange: 'S450L', label: null },
    ]);
  });

  it('should skip blank and # lines, take CRLF line ends and a two-field line', () => {
    const text = '# watched in 2026\r\ngene\taminoAcidChange\tlabel\r\n\r\nNC_045512.2\tA23403G\r\n';
    expect(parseConcernTsv(text)).toEqual([{ gene: 'NC_045512.2', aminoAcidChange: 'A23403G', label: null }]);
  });

  it('should name the line and the field of a change it cannot read', () => {
    const error = tsvError('gene\taminoAcidChange\tlabel\nrpoB\tS450L\tok\nkatG\tS315\tisoniazid\n');
    expect(error).toMatchObject({ line: 3, field: 'aminoAcidChange' });
    expect(error.message).toMatch(/^line 3, aminoAcidChange: aminoAcidChange "S315" is neither/);
  });

  it('should refuse a missing header, a line with four fields and a gene and change given twice', () => {
    expect(tsvError('rpoB\tS450L\tok\n')).toMatchObject({ line: 1, field: undefined });
    expect(tsvError('gene\taminoAcidChange\tlabel\nrpoB\tS450L\tok\textra\n')).toMatchObject({ line: 2 });
    const repeated = tsvError('gene\taminoAcidChange\tlabel\nrpoB\tS450L\ta\nkatG\tS315T\t\nrpoB\tS450L\tb\n');
    expect(repeated).toMatchObject({ line: 4, field: 'aminoAcidChange' });
    expect(repeated.message).toContain('rpoB S450L is already on line 2');
  });
});
