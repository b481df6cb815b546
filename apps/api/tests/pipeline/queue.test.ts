import { describe, expect, it } from 'vitest';
import { BoundedQueue, InvalidWaterMarksError } from '../../src/pipeline/queue.js';

function recordingQueue(highWater: number, lowWater: number) {
  const events: string[] = [];
  const queue = new BoundedQueue<number>(
    { highWater, lowWater },
    { throttle: () => events.push('throttle'), resume: () => events.push('resume') },
  );
  return { queue, events };
}

describe('bounded queue', () => {
  it('should throttle the producer above high-water and resume only below low-water', () => {
    const { queue, events } = recordingQueue(5, 2);
    for (let batch = 0; batch < 5; batch += 1) queue.push(batch);
    expect(events).toEqual([]);
    queue.push(5);
    expect(events).toEqual(['throttle']);
    expect(queue.throttled).toBe(true);
    queue.shift();
    queue.shift();
    queue.shift();
    queue.shift();
    expect(queue.length).toBe(2);
    expect(events).toEqual(['throttle']);
    queue.shift();
    expect(events).toEqual(['throttle', 'resume']);
    expect(queue.throttleEvents).toBe(1);
  });

  it('should count sink lag toward the pressure', () => {
    const { queue, events } = recordingQueue(10, 3);
    queue.push(1);
    queue.setExternalLag(10);
    expect(events).toEqual(['throttle']);
    queue.setExternalLag(1);
    expect(events).toEqual(['throttle', 'resume']);
  });

  it('should keep first-in first-out order across compactions', () => {
    const { queue } = recordingQueue(100_000, 10);
    for (let batch = 0; batch < 5_000; batch += 1) queue.push(batch);
    const taken: number[] = [];
    for (let batch = 0; batch < 3_000; batch += 1) taken.push(queue.shift() as number);
    for (let batch = 5_000; batch < 6_000; batch += 1) queue.push(batch);
    while (queue.length > 0) taken.push(queue.shift() as number);
    expect(taken).toEqual(Array.from({ length: 6_000 }, (_, index) => index));
  });

  it('should apply new water marks at once', () => {
    const { queue, events } = recordingQueue(10, 5);
    for (let batch = 0; batch < 8; batch += 1) queue.push(batch);
    queue.setMarks({ highWater: 6, lowWater: 2 });
    expect(events).toEqual(['throttle']);
    expect(queue.marks).toEqual({ highWater: 6, lowWater: 2 });
  });

  it('should reject water marks that cannot work, naming the field', () => {
    expect(() => recordingQueue(0, 0)).toThrow(/highWater/);
    expect(() => recordingQueue(10, 10)).toThrow(InvalidWaterMarksError);
    expect(() => recordingQueue(10, -1)).toThrow(/lowWater/);
  });
});
