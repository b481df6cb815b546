import { describe, expect, it } from 'vitest';
import { AlignerIndex, Detector, Pileup, ReadSimulator, Reference } from '../index.js';

/** Two contigs: reads only come from the first, so the second is uncovered throughout. */
async function twoContigPileup(): Promise<{ pileup: Pileup; reference: Reference; index: AlignerIndex }> {
  const first = Reference.random(20_000, 31, 'covered');
  const second = Reference.random(3_000, 32, 'bare');
  const fasta = (name: string, bases: Buffer) => `>${name}\n${bases.toString('latin1')}\n`;
  const reference = Reference.parseFasta(
    Buffer.from(fasta('covered', first.sequence(0)) + fasta('bare', second.sequence(0))),
    'two contigs',
  );
  const index = await AlignerIndex.build(reference);
  const pileup = new Pileup(index);
  const detector = new Detector(index);
  const simulator = new ReadSimulator(first.mutate({ mutationRate: 0, seed: 31 }), {
    readLength: 150,
    errorRate: 0.001,
    seed: 31,
  });
  // ~10× on the first contig.
  const batch = simulator.nextBatch(1_300);
  pileup.add(detector.analyse(batch.bases, batch.qualities, batch.offsets).evidence);
  return { pileup, reference, index };
}

describe('the pileup coverage', () => {
  it('should bin depth() by mean and maximum, and list the stretches below a depth', async () => {
    const { pileup, index } = await twoContigPileup();
    const bins = pileup.coverageBins('covered', 101, 1_100, 7);
    expect(bins).toMatchObject({ contig: 'covered', from: 101, to: 1_100, binSize: 143 });
    expect(bins.depths).toHaveLength(7);
    const depths = Array.from({ length: 1_000 }, (_, i) => pileup.depth('covered', 101 + i));
    for (const [bin, mean] of bins.depths.entries()) {
      const chunk = depths.slice(bin * 143, (bin + 1) * 143);
      expect(mean).toBeCloseTo(chunk.reduce((sum, depth) => sum + depth, 0) / chunk.length, 9);
      expect(bins.maxDepths[bin]).toBe(Math.max(...chunk));
    }
    expect(pileup.coverageBins('covered', 101, 101, 500)).toMatchObject({ binSize: 1, depths: [depths[0]] });

    const low = pileup.lowDepthIntervals(3);
    expect(low.at(-1)).toEqual({ contig: 'bare', start: 1, end: 3_000 });
    // The first contig's ends are below any depth: reads stop there, SNV_MARGIN short of them.
    expect(low[0]).toMatchObject({ contig: 'covered', start: 1 });
    for (const interval of low.filter(({ contig }) => contig === 'covered')) {
      for (const position of [interval.start, interval.end]) expect(pileup.depth('covered', position)).toBeLessThan(3);
      if (interval.end < 20_000) expect(pileup.depth('covered', interval.end + 1)).toBeGreaterThanOrEqual(3);
    }
    expect(pileup.lowDepthIntervals(0)).toEqual([]);
    const summary = pileup.depthSummary();
    expect(summary.breadth100x).toBe(0);
    expect(summary.breadth10x).toBeGreaterThan(0);
    index.release();
  });

  it('should refuse an unknown contig, an empty or outside stretch and no bins', async () => {
    const { pileup, index } = await twoContigPileup();
    expect(() => pileup.coverageBins('chr1', 1, 10, 5)).toThrow("contig: no contig named 'chr1'");
    expect(() => pileup.coverageBins('bare', 10, 9, 5)).toThrow('from: must not be after to (9), got 10');
    expect(() => pileup.coverageBins('bare', 1, 3_001, 5)).toThrow('to: must be a whole number between 1 and 3000');
    expect(() => pileup.coverageBins('bare', 0, 10, 5)).toThrow('from: must be a whole number between 1 and 3000');
    expect(() => pileup.coverageBins('bare', 1, 10, 0)).toThrow('bins: must be a whole number');
    expect(() => pileup.lowDepthIntervals(-1)).toThrow('minDepth: must be a whole number');
    index.release();
  });
});
