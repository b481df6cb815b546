import { describe, expect, it } from 'vitest';
import { clearingErrors, streamRetryDelayMs } from '@/lib/graphql/transport';

describe('subscription transport', () => {
  it('should clear a past error on the next good result, once', () => {
    const seen: unknown[] = [];
    const next = clearingErrors((value) => seen.push(value));
    next({ data: { n: 1 } });
    next({ errors: [{ message: 'down' }] as never });
    next({ data: { n: 2 } });
    next({ data: { n: 3 } });
    expect(seen).toEqual([
      { data: { n: 1 } },
      { errors: [{ message: 'down' }] },
      { data: { n: 2 }, errors: [] },
      { data: { n: 3 } },
    ]);
  });

  it('should back off from 1 s to at most 10 s, with jitter', () => {
    expect(streamRetryDelayMs(0, () => 0.5)).toBe(1000);
    expect(streamRetryDelayMs(2, () => 0.5)).toBe(4000);
    expect(streamRetryDelayMs(10, () => 1)).toBe(12_000);
    expect(streamRetryDelayMs(10, () => 0)).toBe(8000);
  });
});
