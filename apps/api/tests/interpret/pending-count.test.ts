import { describe, expect, it } from 'vitest';
import { PendingCount } from '../../src/interpret/pending-count.js';

describe('the pending count', () => {
  it('should count each announced variant until it is settled', () => {
    const pending = new PendingCount();
    pending.detected();
    pending.detected();
    pending.detected();
    expect(pending.value).toBe(3);
    pending.settled();
    pending.settled(2);
    expect(pending.value).toBe(0);
  });

  it('should stop at zero when more variants settle than it counted', () => {
    const pending = new PendingCount();
    pending.detected();
    pending.settled(4);
    expect(pending.value).toBe(0);
    pending.detected();
    expect(pending.value).toBe(1);
  });

  it("should take the database's count at a recount, whatever it counted before", () => {
    const pending = new PendingCount();
    for (let announced = 0; announced < 5; announced += 1) pending.detected();
    pending.recounted(12);
    expect(pending.value).toBe(12);
    pending.settled(2);
    expect(pending.value).toBe(10);
  });
});
