import { describe, expect, it } from 'vitest';
import { backpressureOf } from '@/lib/backpressure';

const metrics = (queueDepth: number, throttled = false) =>
  ({ state: throttled ? 'THROTTLED' : 'RUNNING', throttled, queueDepth, highWater: 500, lowWater: 100 }) as const;

describe('backpressure banner', () => {
  it('should stay away below 80 % of high-water', () => {
    expect(backpressureOf(metrics(400)).level).toBe('none');
    expect(backpressureOf(undefined).level).toBe('none');
  });

  it('should warn above 80 % of high-water', () => {
    expect(backpressureOf(metrics(401))).toMatchObject({ level: 'warning', title: 'Backpressure building' });
  });

  it('should say the producer is throttled, at any depth', () => {
    const banner = backpressureOf(metrics(90, true));
    expect(banner).toMatchObject({ level: 'throttled' });
    expect(banner.level !== 'none' && banner.detail).toContain('resumes below 100');
  });
});
