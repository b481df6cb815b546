import { describe, expect, it } from 'vitest';
import { exampleGenomePath, realDataDirectory } from '../bench/real/config.js';

// Without its data this check must fail, not pass by measuring nothing.
describe('the data the real-data check reads', () => {
  it("should find breseq's real reads at ../shared/data/real (or HELIX_REAL_DATA)", () => {
    expect(realDataDirectory()).toMatch(/\S/);
  });

  it("should find the real genome wgsim reads are drawn from (Debian bowtie-examples' E. coli, or HELIX_REAL_GENOME)", () => {
    expect(exampleGenomePath()).toMatch(/\S/);
  });
});
