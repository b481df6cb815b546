import { describe, expect, it } from 'vitest';
import {
  decodeBatch,
  decodeResult,
  encodeBatch,
  encodeResult,
  type RawEntry,
} from '../../src/transport/batch-codec.js';

/** A stream entry as Redis hands back what `encodeBatch` wrote. */
function asEntry(fields: (string | Buffer)[]): RawEntry {
  return [Buffer.from('1-0'), fields.map((value) => (typeof value === 'string' ? Buffer.from(value) : value))];
}

/** XADD arguments without the field `name` and its value, as an older owner wrote them. */
function withoutField(fields: (string | Buffer)[], name: string): (string | Buffer)[] {
  const at = fields.indexOf(name);
  return [...fields.slice(0, at), ...fields.slice(at + 2)];
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
    const fields = withoutField(encodeBatch(batch), 'sample');
    expect(decodeBatch(asEntry(fields))).toMatchObject({ sequence: 7, reads: 1, sample: 0 });
  });
});

describe('mates through the Redis stream', () => {
  const pair = {
    runId: '11111111-2222-4333-8444-555555555555',
    sequence: 8,
    reads: 2,
    bases: new Uint8Array([65, 67, 71, 84]),
    qualities: new Uint8Array([73, 73, 73, 73]),
    offsets: new Uint32Array([0, 2, 4]),
  };

  it('should carry that a batch holds mates', () => {
    expect(decodeBatch(asEntry(encodeBatch({ ...pair, paired: true }))).paired).toBe(true);
    expect(decodeBatch(asEntry(encodeBatch({ ...pair, paired: false }))).paired).toBe(false);
  });

  it('should read an entry written before batches carried pairing as single-end', () => {
    const fields = withoutField(encodeBatch({ ...pair, paired: true }), 'paired');
    expect(decodeBatch(asEntry(fields)).paired).toBe(false);
  });

  it('should carry the reads a worker placed in proper pairs', () => {
    const result = {
      reads: 2,
      mappedReads: 2,
      properlyPairedReads: 2,
      mutatedReads: 0,
      mutationsFound: 0,
      evidence: new Uint8Array([1, 2, 3]),
      processingTimeMs: 1.5,
    };
    const decoded = decodeResult(asEntry(encodeResult({ runId: pair.runId, sequence: 8, kind: 'analysed', result })));
    expect(decoded).toMatchObject({ kind: 'analysed', result: { mappedReads: 2, properlyPairedReads: 2 } });
  });
});
