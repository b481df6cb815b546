import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCompact,
  formatCount,
  formatDuration,
  formatPercent,
  formatRate,
  shortId,
} from '@/lib/format';

describe('formatting', () => {
  it('should write counts and rates for people', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(undefined)).toBe('—');
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(48_200)).toBe('48.2K');
    expect(formatRate(2_500_000)).toBe('2.5M reads/s');
    expect(formatPercent(0.4567)).toBe('45.7 %');
  });

  it('should write sizes in bytes in powers of 1000', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12_400_000)).toBe('12.4 MB');
    expect(formatBytes(999_990)).toBe('1.0 MB');
    expect(formatBytes(3_200_000_000)).toBe('3.2 GB');
  });

  it('should write durations at a sensible precision', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });

  it('should shorten run ids to their first block', () => {
    expect(shortId('5ebf5bd3-c62c-47d0-9a5e-23b1154fc932')).toBe('5ebf5bd3');
  });
});
