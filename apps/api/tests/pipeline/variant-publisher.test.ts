import type { VariantCall } from '@helix/native';
import { describe, expect, it } from 'vitest';
import type { MutationDetected } from '../../src/pipeline/events.js';
import type { VariantRecord } from '../../src/pipeline/records.js';
import { variantCallKey } from '../../src/pipeline/records.js';
import { VariantPublisher } from '../../src/pipeline/variant-publisher.js';
import { variantCall } from '../support/variant-calls.js';

/** A call of `depth` reads at `position`, half of them alternate. */
function call(position: number, status: VariantCall['status'], depth = 20): VariantCall {
  return variantCall(position, status, { depth });
}

function publisherOf(runId: string, announcedBefore: string[] = []) {
  const stored: VariantRecord[] = [];
  const announced: MutationDetected[] = [];
  const publisher = new VariantPublisher(
    runId,
    {
      addVariants: (records) => stored.push(...records),
      confirmed: (record) => announced.push(record),
    },
    undefined,
    announcedBefore,
  );
  return { publisher, stored, announced };
}

describe('variant publisher', () => {
  it('should hand every call to the store as a record of the run', () => {
    const { publisher, stored } = publisherOf('run-1');
    publisher.publish([call(100, 'CANDIDATE'), call(200, 'CONFIRMED')], 'sample');
    expect(stored.map((record) => [record.runId, record.position, record.status])).toEqual([
      ['run-1', 100, 'CANDIDATE'],
      ['run-1', 200, 'CONFIRMED'],
    ]);
    expect(stored[0]?.seenAt).toBe(stored[1]?.seenAt);
  });

  it('should announce a site once when it becomes confirmed, however often it is called again', () => {
    const { publisher, announced } = publisherOf('run-1');
    publisher.publish([call(100, 'CANDIDATE', 6)], 'sample');
    publisher.publish([call(100, 'CONFIRMED', 12)], 'sample');
    publisher.publish([call(100, 'CONFIRMED', 18)], 'sample');
    expect(announced.map((record) => record.depth)).toEqual([12]);
    expect(publisher.confirmed).toBe(1);
  });

  it('should announce a site again when it is confirmed after falling back to candidate', () => {
    const { publisher, announced } = publisherOf('run-1');
    publisher.publish([call(100, 'CONFIRMED', 12)], 'sample');
    publisher.publish([call(100, 'CANDIDATE', 14)], 'sample');
    expect(publisher.confirmed).toBe(0);
    publisher.publish([call(100, 'CONFIRMED', 16)], 'sample');
    expect(announced.map((record) => record.depth)).toEqual([12, 16]);
  });

  it("should announce a site with its sample's latest file arrival and reads so far, and when it went out", () => {
    const { publisher, announced } = publisherOf('run-1');
    const fileArrivedAt = new Date('2026-12-01T10:00:00.000Z');
    const before = Date.now();
    publisher.publish([call(100, 'CONFIRMED', 12)], 'barcode01', { readsAnalysed: 400, fileArrivedAt });
    const [alarm] = announced;
    expect(alarm).toMatchObject({ sample: 'barcode01', fileArrivedAt, readsUntilDetection: 400 });
    expect(alarm?.detectedAt?.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('should announce a site of a run without files with no arrival', () => {
    const { publisher, announced } = publisherOf('run-1');
    publisher.publish([call(100, 'CONFIRMED', 12)], 'sample', { readsAnalysed: 400, fileArrivedAt: undefined });
    expect(announced[0]).not.toHaveProperty('fileArrivedAt');
    expect(announced[0]?.readsUntilDetection).toBe(400);
  });

  it('should not announce again, after a restart, a call announced before it, yet store and count it', () => {
    const before = variantCallKey({
      runId: 'run-1',
      sample: 'barcode01',
      contig: 'chr1',
      position: 100,
      ref: 'A',
      alt: 'G',
    });
    const { publisher, stored, announced } = publisherOf('run-1', [before]);
    publisher.publish([call(100, 'CONFIRMED', 12), call(200, 'CONFIRMED', 12)], 'barcode01');
    expect(announced.map((record) => record.position)).toEqual([200]);
    expect(stored.map((record) => record.position)).toEqual([100, 200]);
    expect(publisher.confirmedOf('barcode01')).toBe(2);
    // Once confirmed again it is an ordinary call: a fall back and a new confirmation is news.
    publisher.publish([call(100, 'CANDIDATE', 14)], 'barcode01');
    publisher.publish([call(100, 'CONFIRMED', 16)], 'barcode01');
    expect(announced.map((record) => record.position)).toEqual([200, 100]);
  });
});
