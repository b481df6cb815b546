import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmvIseq } from '../bench/real/datasets.js';
import { type Measurement, measure } from './support/measure.js';

// Floors are what helix reaches today (measured 2026-12-02), haploid (--ploidy 1) as the peers call;
// raise them as the caller improves.
describe('real Illumina iSeq pairs of a circular plasmid with a 7,344-bp deletion across its origin', () => {
  let measured: Measurement & { dispose(): Promise<void> };

  beforeAll(async () => {
    measured = await measure(tmvIseq);
  }, 600_000);

  afterAll(async () => {
    await measured?.dispose();
  });

  it('should expect the 7,344-bp deletion of 10205..17548 (wrapping the 10,411-bp origin) and the minority deletion', () => {
    const deletion = measured.dataSet.expected.find((event) => event.published);
    expect(deletion, measured.report).toMatchObject({ class: 'LARGE_DEL', start: 10205 });
    expect(deletion?.ref.length).toBe(7344);
    expect(measured.helix.evidence.map((evidence) => evidence.label)).toEqual(['JC 10253~7033 (deletes 7190 bp)']);
  });

  it('should find the deletion across the origin exact to ±5 bp, where the peers find nothing', () => {
    expect(measured.helix.found, measured.report).toBe(1);
    expect(measured.helix.classes.LARGE_DEL.found, measured.report).toBe(1);
    expect(measured.helix.missed, measured.report).toEqual([]);
  });

  it('should make no more calls outside the published list than the better peer', () => {
    // Today helix 2 (the SNVs at 1565 and 5198, inside the deleted span, where only the minority's
    // 6-9 reads remain: depth 3 is enough since bcftools has no floor either), bowtie2 3, minimap2 9.
    const peers = Math.min(measured.peer('bowtie2').falseCalls, measured.peer('minimap2').falseCalls);
    expect(measured.helix.falseCalls, measured.report).toBeLessThanOrEqual(peers);
  });

  it('should have scored both peers on the same reads', () => {
    for (const peer of ['bowtie2', 'minimap2']) {
      expect(measured.peer(peer).expected, measured.report).toBe(1);
      expect(measured.peer(peer).evidence, measured.report).toHaveLength(1);
    }
  });
});
