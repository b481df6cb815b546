import { describe, expect, it } from 'vitest';
import { retryWithBackoff } from '../../src/pipeline/retry.js';

/** An attempt that fails `failures` times, then answers `value`; counts its calls. */
function failingTimes<T>(failures: number, value: T) {
  const attempt = async () => {
    attempt.calls += 1;
    if (attempt.calls <= failures) throw new Error(`failure ${attempt.calls}`);
    return value;
  };
  attempt.calls = 0;
  return attempt;
}

describe('retry with backoff', () => {
  it('should retry until the attempt succeeds, doubling the wait up to the most, with jitter', async () => {
    const attempt = failingTimes(5, 'stored');
    const waits: number[] = [];
    const reasons: string[] = [];
    const result = await retryWithBackoff(attempt, {
      initialDelayMs: 4,
      maxDelayMs: 16,
      onFailure: (error, retryInMs) => {
        reasons.push(error.message);
        waits.push(retryInMs);
      },
    });
    expect(result).toBe('stored');
    expect(attempt.calls).toBe(6);
    expect(reasons).toEqual(['failure 1', 'failure 2', 'failure 3', 'failure 4', 'failure 5']);
    const delays = [4, 8, 16, 16, 16];
    waits.forEach((wait, index) => {
      const delay = delays[index] as number;
      expect(wait).toBeGreaterThanOrEqual(delay / 2);
      expect(wait).toBeLessThanOrEqual(delay);
    });
  });

  it('should end a wait at once when stopped, rejecting with the reason given', async () => {
    const stop = new AbortController();
    const attempt = failingTimes(Number.POSITIVE_INFINITY, 'never');
    const retrying = retryWithBackoff(attempt, {
      initialDelayMs: 60_000,
      maxDelayMs: 60_000,
      signal: stop.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop.abort(new Error('worker stopping'));
    // The wait was a minute, twice the test's time limit: only the stop can end it in time.
    await expect(retrying).rejects.toThrow('worker stopping');
    expect(attempt.calls).toBe(1);
  });

  it('should still make the first attempt when already stopped, and keep its success', async () => {
    const stop = new AbortController();
    stop.abort();
    const attempt = failingTimes(0, 'stored');
    await expect(retryWithBackoff(attempt, { initialDelayMs: 1, maxDelayMs: 1, signal: stop.signal })).resolves.toBe(
      'stored',
    );
    expect(attempt.calls).toBe(1);
  });
});
