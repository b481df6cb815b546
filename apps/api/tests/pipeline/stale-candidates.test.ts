import type { VariantCall } from '@helix/native';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/db/migrations.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { migrationsDirectory } from '../../src/paths.js';
import { MemoryResultStore } from '../../src/pipeline/memory-store.js';
import type { ResultStore, VariantRecord } from '../../src/pipeline/records.js';
import { removeStaleCandidates, VariantPublisher } from '../../src/pipeline/variant-publisher.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { variantCall } from '../support/variant-calls.js';

/** A call of `altCount` alternate reads of `depth` at `position`. */
function call(position: number, status: VariantCall['status'], depth: number, altCount: number): VariantCall {
  return variantCall(position, status, { depth, altCount });
}

const newRun = {
  source: 'DIRECTORY',
  config: {},
  referenceName: 'chr1',
  referenceLength: 1000,
  contigs: [{ name: 'chr1', length: 1000 }],
} as const;

/**
 * Runs one sample through an early call and its final calls, as a live run stores them: early, a
 * 3-read candidate at 100 (later diluted below the threshold), a confirmed call at 200, a candidate
 * at 300 and a confirmed call at 400 (later demoted). Returns what the store holds at the end.
 */
async function storedAtTheEnd(store: ResultStore, stored: () => Promise<VariantRecord[]>) {
  const runId = await store.createRun({ ...newRun, contigs: [...newRun.contigs] });
  const written: Promise<void>[] = [];
  const publisher = new VariantPublisher(runId, {
    addVariants: (records) => written.push(store.upsertVariants(records)),
    confirmed: () => {},
  });
  publisher.publish(
    [
      call(100, 'CANDIDATE', 3, 3),
      call(200, 'CONFIRMED', 20, 10),
      call(300, 'CANDIDATE', 6, 3),
      call(400, 'CONFIRMED', 20, 10),
    ],
    'sample',
  );
  const finalCalls = [call(200, 'CONFIRMED', 40, 20), call(300, 'CANDIDATE', 8, 4), call(400, 'CANDIDATE', 40, 6)];
  publisher.publish(finalCalls, 'sample');
  await Promise.all(written);
  await removeStaleCandidates(store, runId, [{ sample: 'sample', calls: finalCalls }]);
  return (await stored())
    .filter((row) => row.runId === runId)
    .map((row) => [row.position, row.status])
    .sort(([a], [b]) => Number(a) - Number(b));
}

const finalSet = [
  [200, 'CONFIRMED'],
  [300, 'CANDIDATE'],
  [400, 'CANDIDATE'],
];

describe('candidates that the final calls no longer hold', () => {
  let scratch: ScratchDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    pool = new pg.Pool(poolConfigFromUrl(scratch.url));
    await applyMigrations(pool, await readMigrations(migrationsDirectory));
  });

  afterAll(async () => {
    await pool.end();
    await scratch.drop();
  });

  it('should be removed from PostgreSQL when the run completes, while confirmed and final calls stay', async () => {
    const store = new PostgresResultStore(pool);
    const stored = async () => {
      const { rows } = await pool.query<VariantRecord>(
        `SELECT run_id::text AS "runId", position, status FROM variants`,
      );
      return rows;
    };
    expect(await storedAtTheEnd(store, stored)).toEqual(finalSet);
  });

  it('should be removed from the memory store when the run completes, while confirmed and final calls stay', async () => {
    const store = new MemoryResultStore();
    expect(await storedAtTheEnd(store, async () => [...store.variants.values()])).toEqual(finalSet);
  });
});
