import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTER, toVariantFilter } from '@/components/variant-filters';

const RUN = '5ebf5bd3-c62c-47d0-9a5e-23b1154fc932';

describe('the variants filter form', () => {
  it('should send genes, one consequence and the concern switch as the API takes them', () => {
    const outcome = toVariantFilter(RUN, {
      ...DEFAULT_FILTER,
      genes: 'rpoB, gyrA  katG',
      consequence: 'MISSENSE',
      concernsOnly: true,
    });
    expect(outcome).toEqual({
      filter: {
        runId: RUN,
        minQuality: 20,
        genes: ['rpoB', 'gyrA', 'katG'],
        consequences: ['MISSENSE'],
        mutationsOfConcernOnly: true,
      },
    });
  });

  it('should leave the gene conditions out when none are asked for', () => {
    expect(toVariantFilter(RUN, DEFAULT_FILTER)).toEqual({ filter: { runId: RUN, minQuality: 20 } });
  });

  it('should refuse more genes than the API takes, at the genes field', () => {
    const genes = Array.from({ length: 101 }, (_, index) => `g${index}`).join(',');
    expect(toVariantFilter(RUN, { ...DEFAULT_FILTER, genes })).toEqual({
      errors: { genes: 'Name at most 100 genes.' },
    });
  });
});
