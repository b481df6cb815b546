import { describe, expect, it } from 'vitest';
import { timeToDetection } from '@/lib/detection';

const clock = (at: string) => at.slice(11, 19);

describe('time to detection', () => {
  it('should say how long after its file arrived an alarm went out', () => {
    expect(timeToDetection('2026-12-01T14:03:07.200Z', '2026-12-01T14:03:08.000Z', clock)).toBe(
      'alarm 0.8 s after its file arrived (14:03:07)',
    );
    expect(timeToDetection('2026-12-01T14:03:07.000Z', '2026-12-01T14:03:52.400Z', clock)).toBe(
      'alarm 45 s after its file arrived (14:03:07)',
    );
  });

  it('should not go below zero when the file’s time is a little ahead of the alarm’s', () => {
    expect(timeToDetection('2026-12-01T14:03:07.050Z', '2026-12-01T14:03:07.000Z', clock)).toBe(
      'alarm 0.0 s after its file arrived (14:03:07)',
    );
  });

  it('should say nothing for a call without both times', () => {
    expect(timeToDetection(null, '2026-12-01T14:03:07.000Z', clock)).toBeUndefined();
    expect(timeToDetection('2026-12-01T14:03:07.000Z', undefined, clock)).toBeUndefined();
  });
});
