import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch, type RawEntry } from '../../src/transport/batch-codec.js';

/** A stream entry as Redis hands back what `encodeBatch` wrote. */
function asEntry(fields: (string | Buffer)[]): RawEntry {
  return [Buffer.from('1-0'), fields.map((value) => (typeof value === 'string' ? Buffer.from(value) : value))];
}

describe('a batch through the Redis stream', () => {
  const batch = {
    runId: '11111111-2222-4333-8444-555555555555',
    sequence: 7,
    reads: 1,
    bases: new Uint8Array([65, 67, 71, 84]),
    qualities: new Uint8Array([73, 73, 73, 73]),
    offsets: new Uint32Array([0, 4]),
  };

  it('should carry the sample index of its batch', () => {
    expect(decodeBatch(asEntry(encodeBatch({ ...batch, sample: 3 }))).sample).toBe(3);
  });

  it('should read an entry written before batches carried samples as the first sample', () => {
    const fields = encodeBatch(batch).slice(0, -2);
    expect(decodeBatch(asEntry(fields))).toMatchObject({ sequence: 7, reads: 1, sample: 0 });
  });
});
