import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/interpret/circuit-breaker.js';
import { InvalidModelAnswerError, parseAnswer } from '../../src/interpret/prompt.js';
import { RateLimiter } from '../../src/interpret/rate-limiter.js';
import { WorkQueue } from '../../src/interpret/work-queue.js';

/** A clock the test moves by hand. */
const manualClock = () => {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('circuit breaker', () => {
  it('should open after the threshold of consecutive failures and refuse requests', () => {
    const clock = manualClock();
    const changes: string[] = [];
    const breaker = new CircuitBreaker({
      failureThreshold: 3,
      cooldownMs: 1_000,
      now: clock.now,
      onStateChange: (state) => changes.push(state),
    });
    breaker.recordFailure('timeout');
    breaker.recordSuccess();
    breaker.recordFailure('timeout');
    breaker.recordFailure('timeout');
    expect(breaker.state).toBe('closed');
    breaker.recordFailure('timeout');
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.delay()).toBe(1_000);
    expect(changes).toEqual(['open']);
  });

  it('should let exactly one probe through after the cool-down and close when it succeeds', () => {
    const clock = manualClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1_000, now: clock.now });
    breaker.recordFailure('server');
    clock.advance(1_000);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('should open again for a full cool-down when the probe fails', () => {
    const clock = manualClock();
    const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 1_000, now: clock.now });
    breaker.trip('auth');
    expect(breaker.state).toBe('open');
    clock.advance(1_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure('auth');
    expect(breaker.state).toBe('open');
    expect(breaker.delay()).toBe(1_000);
    expect(breaker.timesOpened).toBe(2);
  });
});

describe('rate limiter', () => {
  it('should hold requests beyond the requests-per-minute allowance', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 2, tokensPerMinute: 100_000 }, clock.now);
    expect(limiter.delayFor(10)).toBe(0);
    limiter.take(10);
    limiter.take(10);
    expect(limiter.delayFor(10)).toBe(30_000);
    clock.advance(30_000);
    expect(limiter.delayFor(10)).toBe(0);
  });

  it('should hold requests beyond the tokens-per-minute allowance and learn the real usage', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 100, tokensPerMinute: 6_000 }, clock.now);
    limiter.take(5_000);
    expect(limiter.delayFor(2_000)).toBe(10_000);
    limiter.settle(5_000, 2_000);
    expect(limiter.delayFor(2_000)).toBe(0);
  });

  it('should hold everything while the server asked to retry later', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ requestsPerMinute: 100, tokensPerMinute: 6_000 }, clock.now);
    limiter.pauseFor(2_500);
    expect(limiter.delayFor(1)).toBe(2_500);
  });
});

describe('work queue', () => {
  it('should keep one entry per key, in order, and refuse what exceeds its capacity', () => {
    const queue = new WorkQueue<number>(3);
    expect(queue.offer('a', 1)).toBe(true);
    expect(queue.offer('b', 2)).toBe(true);
    expect(queue.offer('a', 1)).toBe(true);
    expect(queue.offer('c', 3)).toBe(true);
    expect(queue.offer('d', 4)).toBe(false);
    expect(queue.dropped).toBe(1);
    expect(queue.take(2)).toEqual([1, 2]);
    expect(queue.length).toBe(1);
    expect(queue.has('c')).toBe(true);
  });
});

describe('model answer', () => {
  it('should reject prose, wrong JSON and answers with nothing usable', () => {
    expect(() => parseAnswer('Sure! Here are the interpretations you asked for.', 2)).toThrow(InvalidModelAnswerError);
    expect(() => parseAnswer('{"results": []}', 2)).toThrow(InvalidModelAnswerError);
    expect(() =>
      parseAnswer('{"interpretations": [{"id": "v9", "summary": "x", "significance": "benign"}]}', 2),
    ).toThrow(InvalidModelAnswerError);
    expect(() =>
      parseAnswer('{"interpretations": [{"id": "v1", "summary": "x", "significance": "dangerous"}]}', 2),
    ).toThrow(InvalidModelAnswerError);
  });

  it('should keep valid entries and name the variants left without one', () => {
    const answer = parseAnswer(
      JSON.stringify({
        interpretations: [
          { id: 'v2', summary: 'Second.', significance: 'likely_benign' },
          { id: 'v3', summary: '', significance: 'benign' },
        ],
      }),
      3,
    );
    expect([...answer.entries.keys()]).toEqual([1]);
    expect(answer.missing).toEqual([0, 2]);
  });
});
