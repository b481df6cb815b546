import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { ReadModel } from '../../src/read-model/read-model.js';
import type { RunRow } from '../../src/read-model/rows.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';

describe('read model', () => {
  let scratch: ScratchDatabase;
  let database: Database;
  let pool: pg.Pool;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    database = await openDatabase({
      databaseUrl: scratch.url,
      dataDir: '/nonexistent',
      logger: createLogger('silent'),
    });
    pool = database.pool;
  });

  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
  });

  async function insertRun(status: 'RUNNING' | 'COMPLETED', variantsConfirmed = 0): Promise<string> {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO runs (id, source, config, reference_name, reference_length, status, started_at, variants_confirmed)
       VALUES (gen_random_uuid(), 'SIMULATED', '{}', 'random', 6000, $1, now(), $2) RETURNING id`,
      [status, variantsConfirmed],
    );
    return rows[0]?.id as string;
  }

  async function insertVariant(runId: string, position: number): Promise<void> {
    await pool.query(
      `INSERT INTO variants (run_id, contig, position, ref, alt, type, depth, alt_count, allele_frequency, quality, status)
       VALUES ($1, 'chr1', $2, 'A', 'G', 'SNV', 30, 15, 0.5, 60, 'CONFIRMED')`,
      [runId, position],
    );
  }

  async function runRow(reads: ReadModel, runId: string): Promise<RunRow> {
    const [run] = await reads.runsById([runId]);
    if (!run) throw new Error(`run ${runId} is not stored`);
    return run;
  }

  it("should count a finished run's matching variants once, until the run is invalidated", async () => {
    const reads = new ReadModel(pool);
    const runId = await insertRun('COMPLETED');
    await insertVariant(runId, 10);
    await insertVariant(runId, 20);
    const run = await runRow(reads, runId);
    expect(await reads.variantsCount({ runId, minQuality: 50 }, run)).toBe(2);
    await insertVariant(runId, 30);
    expect(await reads.variantsCount({ runId, minQuality: 50 }, run)).toBe(2);
    reads.invalidateRun(runId);
    expect(await reads.variantsCount({ runId, minQuality: 50 }, run)).toBe(3);
  });

  it("should count a running run's variants afresh every time", async () => {
    const reads = new ReadModel(pool);
    const runId = await insertRun('RUNNING');
    await insertVariant(runId, 10);
    const run = await runRow(reads, runId);
    expect(await reads.variantsCount({ runId, minQuality: 50 }, run)).toBe(1);
    await insertVariant(runId, 20);
    expect(await reads.variantsCount({ runId, minQuality: 50 }, run)).toBe(2);
  });

  it("should take a finished run's confirmed total from its row", async () => {
    const reads = new ReadModel(pool);
    const runId = await insertRun('COMPLETED', 41);
    await insertVariant(runId, 10);
    const run = await runRow(reads, runId);
    expect(await reads.variantsCount({ runId, status: 'CONFIRMED' }, run)).toBe(41);
  });

  it('should serve a finished run from memory until the run is invalidated', async () => {
    const reads = new ReadModel(pool);
    const runId = await insertRun('COMPLETED');
    expect((await runRow(reads, runId)).referenceName).toBe('random');
    await pool.query(`UPDATE runs SET reference_name = 'renamed' WHERE id = $1`, [runId]);
    expect((await runRow(reads, runId)).referenceName).toBe('random');
    reads.invalidateRun(runId);
    expect((await runRow(reads, runId)).referenceName).toBe('renamed');
  });

  it('should read a running run afresh every time', async () => {
    const reads = new ReadModel(pool);
    const runId = await insertRun('RUNNING');
    await runRow(reads, runId);
    await pool.query(`UPDATE runs SET reference_name = 'renamed' WHERE id = $1`, [runId]);
    expect((await runRow(reads, runId)).referenceName).toBe('renamed');
  });

  it("should stream a run's confirmed calls on a contig in chunks, in position order", async () => {
    const reads = new ReadModel(pool);
    const runId = await insertRun('COMPLETED');
    for (const position of [50, 10, 40, 20, 30]) await insertVariant(runId, position);
    const chunks: number[][] = [];
    for await (const chunk of reads.confirmedVariants(runId, 'chr1', 2)) chunks.push(chunk.map((row) => row.position));
    expect(chunks).toEqual([[10, 20], [30, 40], [50]]);
    expect(await reads.confirmedContigs(runId)).toEqual(['chr1']);
  });
});
