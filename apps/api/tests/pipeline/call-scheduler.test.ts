import { afterEach, describe, expect, it } from 'vitest';
import { CallScheduler } from '../../src/pipeline/call-scheduler.js';
import { waitFor } from '../support/wait-for.js';

/** Keeps the thread busy for `ms`, as a caller scanning a large pileup does. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spinning on purpose
  }
}

/** A turn of the event loop and then some: long enough for every call due now to have been made. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('call scheduler', () => {
  let scheduler: CallScheduler | undefined;
  afterEach(() => scheduler?.close());

  it('should call a sample once for every batch of it merged in the same turn', async () => {
    const calls: number[] = [];
    scheduler = new CallScheduler((sample) => void calls.push(sample), { minIntervalMs: 0, share: 1 });
    for (let batch = 0; batch < 5; batch += 1) scheduler.merged(0);
    scheduler.merged(1);
    await settle();
    expect(calls).toEqual([0, 1]);
  });

  it('should call a sample again when reads of it landed after its last call', async () => {
    const calls: number[] = [];
    scheduler = new CallScheduler((sample) => void calls.push(sample), { minIntervalMs: 0, share: 1 });
    scheduler.merged(0);
    await waitFor(() => calls.length === 1, 1_000);
    scheduler.merged(0);
    await waitFor(() => calls.length === 2, 1_000);
    expect(calls).toEqual([0, 0]);
  });

  it('should call the sample that has waited longest first', async () => {
    const calls: number[] = [];
    scheduler = new CallScheduler((sample) => void calls.push(sample), { minIntervalMs: 0, share: 1 });
    scheduler.merged(2);
    scheduler.merged(0);
    scheduler.merged(2);
    scheduler.merged(1);
    await settle();
    expect(calls).toEqual([2, 0, 1]);
  });

  it('should leave the least interval between two calls of one sample, and call it again after it', async () => {
    const calledAt: number[] = [];
    scheduler = new CallScheduler(() => void calledAt.push(performance.now()), { minIntervalMs: 200, share: 1 });
    scheduler.merged(0);
    await waitFor(() => calledAt.length === 1, 1_000);
    scheduler.merged(0);
    await settle();
    expect(calledAt).toHaveLength(1);
    await waitFor(() => calledAt.length === 2, 2_000);
    expect((calledAt[1] as number) - (calledAt[0] as number)).toBeGreaterThanOrEqual(199);
  });

  it('should keep calls within their share of the time, however many samples wait', async () => {
    const calledAt: number[] = [];
    // Calls of 20 ms at a share of a half: each begins at least 40 ms after the one before.
    scheduler = new CallScheduler(
      () => {
        calledAt.push(performance.now());
        busyFor(20);
      },
      { minIntervalMs: 0, share: 0.5 },
    );
    for (let sample = 0; sample < 4; sample += 1) scheduler.merged(sample);
    await waitFor(() => calledAt.length === 4, 5_000);
    const gaps = calledAt.slice(1).map((at, index) => at - (calledAt[index] as number));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(39);
  });

  it('should make one call at a time, pacing the next by how long the last took to settle', async () => {
    const events: string[] = [];
    const calledAt: number[] = [];
    // Calls that settle 20 ms later, off the event loop, at a share of a half.
    scheduler = new CallScheduler(
      async (sample) => {
        calledAt.push(performance.now());
        events.push(`start ${sample}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        events.push(`end ${sample}`);
      },
      { minIntervalMs: 0, share: 0.5 },
    );
    for (let sample = 0; sample < 3; sample += 1) scheduler.merged(sample);
    await waitFor(() => events.length === 6, 5_000);
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    const gaps = calledAt.slice(1).map((at, index) => at - (calledAt[index] as number));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(39);
  });

  it('should settle its close only once the call under way has published', async () => {
    const published: number[] = [];
    let started = false;
    scheduler = new CallScheduler(
      async (sample) => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 30));
        published.push(sample);
      },
      { minIntervalMs: 0, share: 1 },
    );
    scheduler.merged(7);
    await waitFor(() => started, 1_000);
    scheduler.merged(8);
    await scheduler.close();
    expect(published).toEqual([7]);
    await settle();
    expect(published).toEqual([7]);
  });

  it('should call nothing once closed', async () => {
    const calls: number[] = [];
    scheduler = new CallScheduler((sample) => void calls.push(sample), { minIntervalMs: 0, share: 1 });
    scheduler.merged(0);
    await scheduler.close();
    scheduler.merged(1);
    await settle();
    expect(calls).toEqual([]);
  });

  it('should refuse a share of the time outside (0, 1]', () => {
    expect(() => new CallScheduler(() => undefined, { minIntervalMs: 0, share: 0 })).toThrow(RangeError);
    expect(() => new CallScheduler(() => undefined, { minIntervalMs: 0, share: 1.5 })).toThrow(RangeError);
  });
});
