import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BufferedSubscriber, SLOW_CONSUMER } from '../../src/pubsub/buffered-subscriber.js';
import { SharedResult } from '../../src/pubsub/subscriber.js';

/** A shared result whose payload says `n`, padded to about `bytes` of JSON. */
function resultOf(n: number, bytes = 20): SharedResult {
  const result: ExecutionResult = { data: { n, pad: 'x'.repeat(Math.max(0, bytes - 20)) } };
  return new SharedResult(result, JSON.stringify(result));
}

/** Everything the subscriber's stream yields until it ends or would wait. */
async function drain(subscriber: BufferedSubscriber): Promise<ExecutionResult[]> {
  const results: ExecutionResult[] = [];
  for (;;) {
    const next = await Promise.race([
      subscriber.iterator.next(),
      new Promise<'waits'>((r) => setTimeout(r, 20, 'waits')),
    ]);
    if (next === 'waits' || next.done) return results;
    results.push(next.value);
  }
}

describe('a pulling (SSE) subscriber that falls behind', () => {
  it('should keep only the newest droppable results, counting each one skipped', async () => {
    const drops: string[] = [];
    const subscriber = new BufferedSubscriber(
      { capacity: 3, hardLimitBytes: 1_000, onDrop: (reason) => drops.push(reason) },
      true,
      () => {},
    );
    for (let n = 1; n <= 10; n += 1) subscriber.deliver(resultOf(n));
    const results = await drain(subscriber);
    expect(results.map((result) => result.data?.n)).toEqual([8, 9, 10]);
    expect(drops).toEqual(Array(7).fill('behind'));
  });

  it('should never skip an alarm: past the byte limit its stream ends with SLOW_CONSUMER after the ones it held', async () => {
    const drops: string[] = [];
    let unsubscribed = 0;
    const subscriber = new BufferedSubscriber(
      { capacity: 3, hardLimitBytes: 1_000, onDrop: (reason) => drops.push(reason) },
      false,
      () => {
        unsubscribed += 1;
      },
    );
    for (let n = 1; n <= 5; n += 1) subscriber.deliver(resultOf(n, 150));
    expect(drops).toEqual([]);
    const held = await drain(subscriber);
    expect(held.map((result) => result.data?.n)).toEqual([1, 2, 3, 4, 5]);

    for (let n = 6; n <= 20; n += 1) subscriber.deliver(resultOf(n, 150));
    expect(drops).toEqual(['closed-slow']);
    expect(unsubscribed).toBe(1);
    const rest = await drain(subscriber);
    expect(rest).toHaveLength(1);
    expect(rest[0]?.errors?.[0]?.extensions?.code).toBe(SLOW_CONSUMER);
    expect(await subscriber.iterator.next()).toEqual({ done: true, value: undefined });
    await subscriber.iterator.return(undefined);
    expect(unsubscribed).toBe(1);
  });
});
