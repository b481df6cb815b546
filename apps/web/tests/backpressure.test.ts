import { describe, expect, it } from 'vitest';
import { backlogOf, backpressureOf } from '@/lib/backpressure';

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

describe('backlog on disk', () => {
  it('should say nothing while no file of a run folder waits', () => {
    expect(backlogOf({ filesWaiting: 0, bytesWaiting: 0 })).toBeUndefined();
    expect(backlogOf(undefined)).toBeUndefined();
  });

  it('should count the files and their bytes waiting on disk', () => {
    expect(backlogOf({ filesWaiting: 1, bytesWaiting: 640 })).toBe('1 file (640 B), read as the queue drains.');
    expect(backlogOf({ filesWaiting: 1204, bytesWaiting: 12_400_000 })).toBe(
      '1,204 files (12.4 MB), read as the queue drains.',
    );
  });
});
