import { access, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlignerIndex, Reference } from '@helix/native';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/db/migrations.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { PostgresResultStore } from '../../src/db/result-store.js';
import { migrationsDirectory } from '../../src/paths.js';
import { MemoryResultStore } from '../../src/pipeline/memory-store.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { buildRunIndex } from '../../src/pipeline/run-inputs.js';
import { createScratchDatabase, type ScratchDatabase, serverUrl } from '../support/database.js';

/**
 * The handle the next aligner index of this process will get. Handles are handed out in order
 * and test files run one at a time, so the index a run builds next has this handle.
 */
async function nextIndexHandle(): Promise<number> {
  const probe = await AlignerIndex.build(Reference.random(1_000, 1));
  probe.release();
  return probe.handle + 1;
}

describe('a run whose inputs cannot all be acquired', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-run-inputs-'));
    const reference = Reference.random(5_000, 9);
    await writeFile(join(directory, 'ref.fa'), `>random\n${Buffer.from(reference.sequence(0)).toString()}\n`);
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('should release the aligner index it built when the read source cannot be opened', async () => {
    const pipeline = new Pipeline({ store: new MemoryResultStore() });
    const handle = await nextIndexHandle();
    await expect(
      pipeline.start({
        source: 'FASTQ',
        referencePath: join(directory, 'ref.fa'),
        readsPaths: [join(directory, 'missing.fq')],
      }),
    ).rejects.toThrow(/missing\.fq/);
    expect(() => AlignerIndex.fromHandle(handle)).toThrow(/has been released/);
    expect(pipeline.state).toBe('IDLE');
  });

  it('should release the aligner index it built alongside genes that cannot be read', async () => {
    await writeFile(join(directory, 'wrong.gff3'), '##gff-version 3\nchrZ\tRefSeq\tgene\t1\t90\t.\t+\t.\tID=g1\n');
    const pipeline = new Pipeline({ store: new MemoryResultStore() });
    const handle = await nextIndexHandle();
    await expect(
      pipeline.start({
        source: 'FASTQ',
        referencePath: join(directory, 'ref.fa'),
        annotationPath: join(directory, 'wrong.gff3'),
        readsPaths: [join(directory, 'missing.fq')],
      }),
    ).rejects.toThrow(/wrong\.gff3: line 2: contig chrZ is not in the reference/);
    expect(() => AlignerIndex.fromHandle(handle)).toThrow(/has been released/);
    expect(pipeline.state).toBe('IDLE');
  });

  it('should release the aligner index when the run cannot be recorded', async () => {
    const url = new URL(serverUrl());
    url.pathname = '/helix_no_such_database';
    const pool = new pg.Pool(poolConfigFromUrl(url.toString()));
    const pipeline = new Pipeline({ store: new PostgresResultStore(pool) });
    try {
      const handle = await nextIndexHandle();
      await expect(pipeline.start({ referenceLength: 5_000, workers: 1 })).rejects.toThrow(/helix_no_such_database/);
      expect(() => AlignerIndex.fromHandle(handle)).toThrow(/has been released/);
      expect(pipeline.state).toBe('IDLE');
    } finally {
      await pool.end();
    }
  });

  it('should save the index of a reference file beside it, so the next run maps it instead of building it', async () => {
    const referencePath = join(directory, 'ref.fa');
    const pipeline = new Pipeline({ store: new MemoryResultStore() });
    await expect(
      pipeline.start({ source: 'FASTQ', referencePath, readsPaths: [join(directory, 'missing.fq')] }),
    ).rejects.toThrow(/missing\.fq/);
    const index = await buildRunIndex(await Reference.loadFasta(referencePath), [], referencePath);
    expect(index.mapped).toBe(true);
    expect(index.indexFile).toBe(`${referencePath}.hix`);
    index.release();
  });

  it("should save the index in the pipeline's index directory, not beside the reference, when one is set", async () => {
    const source = join(directory, 'ref.fa');
    const referencePath = join(directory, 'elsewhere.fa');
    await writeFile(referencePath, await readFile(source));
    const indexDir = join(directory, 'indexes');
    const pipeline = new Pipeline({ store: new MemoryResultStore(), indexDir });
    await expect(
      pipeline.start({ source: 'FASTQ', referencePath, readsPaths: [join(directory, 'missing.fq')] }),
    ).rejects.toThrow(/missing\.fq/);
    expect(await readdir(indexDir)).toEqual([expect.stringMatching(/^elsewhere\.fa\.[0-9a-f]{16}\.hix$/)]);
    await expect(access(`${referencePath}.hix`)).rejects.toThrow(/ENOENT/);
    const index = await buildRunIndex(await Reference.loadFasta(referencePath), [], referencePath, indexDir);
    expect(index.mapped).toBe(true);
    expect(index.indexFile).toBe(join(indexDir, (await readdir(indexDir))[0] as string));
    index.release();
  });

  it('should keep the index of a run that starts until the run ends', async () => {
    const pipeline = new Pipeline({ store: new MemoryResultStore() });
    const handle = await nextIndexHandle();
    await pipeline.start({ referenceLength: 5_000, readsPerSecond: 1_000, workers: 1 });
    expect(AlignerIndex.fromHandle(handle).totalLength).toBe(5_000);
    await pipeline.stop(true);
    expect(() => AlignerIndex.fromHandle(handle)).toThrow(/has been released/);
  });

  describe('once its run row is created', () => {
    let scratch: ScratchDatabase;
    let pool: pg.Pool;

    beforeAll(async () => {
      scratch = await createScratchDatabase();
      pool = new pg.Pool(poolConfigFromUrl(scratch.url));
      await applyMigrations(pool, await readMigrations(migrationsDirectory));
    });

    afterAll(async () => {
      await pool?.end();
      await scratch?.drop();
    });

    it('should mark the row FAILED, stopped, with the error, when its detectors fail to start', async () => {
      const pipeline = new Pipeline({
        store: new PostgresResultStore(pool),
        createDetectors: async () => {
          throw new Error('detector workers unreachable');
        },
      });
      const handle = await nextIndexHandle();
      await expect(pipeline.start({ referenceLength: 5_000, workers: 1 })).rejects.toThrow(
        /detector workers unreachable/,
      );
      const { rows } = await pool.query<{ status: string; error: string | null; stopped_at: Date | null }>(
        'SELECT status, error, stopped_at FROM runs',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'FAILED', error: 'detector workers unreachable' });
      expect(rows[0]?.stopped_at).toBeInstanceOf(Date);
      expect(() => AlignerIndex.fromHandle(handle)).toThrow(/has been released/);
      expect(pipeline.state).toBe('IDLE');
    });
  });
});
