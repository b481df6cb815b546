import { describe, expect, it } from 'vitest';
import { warningCounts, warningLabel } from '@/lib/run-warnings';

describe('run warnings', () => {
  it('should say each code in words', () => {
    expect(warningLabel('TRUNCATED_FILE')).toBe('File cut short');
    expect(warningLabel('CHANGED_AFTER_TAKEN')).toBe('File changed after it was taken');
  });

  it('should count warnings by kind, the most frequent first', () => {
    expect(
      warningCounts([
        { code: 'EMPTY_FILE' },
        { code: 'TRUNCATED_FILE' },
        { code: 'EMPTY_FILE' },
        { code: 'NOT_FASTQ' },
      ]),
    ).toEqual([
      { label: 'Empty file', count: 2 },
      { label: 'File cut short', count: 1 },
      { label: 'Not FASTQ', count: 1 },
    ]);
  });
});
