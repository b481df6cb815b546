import type { VariantCall } from '@helix/native';
import { describe, expect, it } from 'vitest';
import type { VariantRecord } from '../../src/pipeline/records.js';
import { VariantPublisher } from '../../src/pipeline/variant-publisher.js';

function call(position: number, status: VariantCall['status'], depth = 20): VariantCall {
  return {
    contig: 'chr1',
    position,
    ref: 'A',
    alt: 'G',
    type: 'SNV',
    genotype: '0/1',
    depth,
    altCount: depth / 2,
    alleleFrequency: 0.5,
    quality: 60,
    status,
    mappingQuality: 60,
    zeroMappingQualityFraction: 0,
  };
}

function publisherOf(runId: string) {
  const stored: VariantRecord[] = [];
  const announced: VariantRecord[] = [];
  const publisher = new VariantPublisher(runId, {
    addVariants: (records) => stored.push(...records),
    confirmed: (record) => announced.push(record),
  });
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
});
