import { describe, expect, it } from 'vitest';
import { consequenceTone, effectLabel, effectsLabel } from '@/lib/effects';

describe('effect labels', () => {
  it('should write a coding change as gene, protein change and consequence', () => {
    expect(effectLabel({ gene: 'S', aminoAcidChange: 'D614G', consequence: 'MISSENSE' })).toBe('S:D614G missense');
    expect(effectLabel({ gene: 'rpoB', aminoAcidChange: 'Q57*', consequence: 'STOP_GAINED' })).toBe(
      'rpoB:Q57* stop gained',
    );
  });

  it('should write a change without a protein change by gene, and between genes with a dash', () => {
    expect(effectLabel({ gene: 'yaaA-yaaJ', consequence: 'INTERGENIC' })).toBe('yaaA–yaaJ intergenic');
    expect(effectLabel({ gene: null, aminoAcidChange: null, consequence: 'NON_CODING' })).toBe('non-coding');
  });

  it('should list overlapping genes most severe first, and say nothing without effects', () => {
    expect(
      effectsLabel([
        { gene: 'geneA', aminoAcidChange: 'L10L', consequence: 'SYNONYMOUS' },
        { gene: 'geneB', aminoAcidChange: 'W3*', consequence: 'STOP_GAINED' },
        { gene: 'geneC', aminoAcidChange: 'A5T', consequence: 'MISSENSE' },
      ]),
    ).toBe('geneB:W3* stop gained; geneC:A5T missense; geneA:L10L synonymous');
    expect(effectsLabel([])).toBeUndefined();
  });

  it('should draw protein-ending changes loudest', () => {
    expect(consequenceTone('FRAMESHIFT')).toBe('severe');
    expect(consequenceTone('MISSENSE')).toBe('changed');
    expect(consequenceTone('SYNONYMOUS')).toBe('quiet');
  });
});
