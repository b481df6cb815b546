import { describe, expect, it } from 'vitest';
import { classifyRunFile, isScannedFolder } from '../../src/watch/index.js';

const role = (path: string) => classifyRunFile(path.split('/'), 'run-7');

describe('what a name in a run folder is', () => {
  it('should read BCL Convert names with and without a lane, and leave index reads out', () => {
    expect(role('Sample_A_S3_L002_R2_001.fastq.gz')).toEqual({
      kind: 'reads',
      sample: 'Sample_A',
      mate: { pair: 'Sample_A_S3_L002', number: 2 },
    });
    expect(role('Sample_A_S3_R1_001.fastq.gz')).toEqual({
      kind: 'reads',
      sample: 'Sample_A',
      mate: { pair: 'Sample_A_S3', number: 1 },
    });
    expect(role('Sample_A_S3_L002_I1_001.fastq.gz')).toEqual({ kind: 'ignored' });
  });

  it('should know temporary names, end markers and hidden files wherever they are', () => {
    expect(role('fastq_pass/barcode01/x_0.fastq.gz.tmp')).toEqual({ kind: 'partial' });
    expect(role('x.fastq.part')).toEqual({ kind: 'partial' });
    expect(role('final_summary_FAX1_0a1b.txt')).toEqual({ kind: 'end-marker' });
    expect(role('CopyComplete.txt')).toEqual({ kind: 'end-marker' });
    expect(role('fastq_pass/final_summary.txt')).toEqual({ kind: 'ignored' });
    expect(role('.x.fastq.gz.Xy12ab')).toEqual({ kind: 'ignored' });
  });

  it('should name unbarcoded MinKNOW reads and flat FASTQ after the run folder', () => {
    expect(role('fastq_pass/FAX1_pass_0.fastq.gz')).toEqual({ kind: 'reads', sample: 'run-7' });
    expect(role('reads.fq.gz')).toEqual({ kind: 'reads', sample: 'run-7' });
    expect(role('fastq_pass/unclassified/FAX1_pass_unclassified_0.fastq.gz')).toEqual({
      kind: 'reads',
      sample: 'unclassified',
    });
  });

  it('should look only into the run folder, fastq_pass and its barcode folders', () => {
    expect([[], ['fastq_pass'], ['fastq_pass', 'barcode01']].map(isScannedFolder)).toEqual([true, true, true]);
    expect([['fastq_fail'], ['pod5_pass'], ['fastq_pass', 'barcode01', 'deeper']].map(isScannedFolder)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
