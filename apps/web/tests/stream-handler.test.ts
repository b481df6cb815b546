import { describe, expect, it } from 'vitest';
import { abortable } from '@/server/stream-handler';

describe('abortable', () => {
  it('should abort the work of a generator waiting inside, when returned', async () => {
    let aborted = false;
    const generator = abortable(async function* (signal) {
      yield 1;
      // Waits "forever" for the API, as a quiet subscription does.
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      aborted = signal.aborted;
    });
    expect((await generator.next()).value).toBe(1);
    const pending = generator.next();
    await generator.return(undefined);
    expect((await pending).done).toBe(true);
    expect(aborted).toBe(true);
  });
});
