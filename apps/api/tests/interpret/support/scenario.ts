/** Scaffolding of the interpretation tests: a migrated scratch database, runs, variants, logs. */
import { Writable } from 'node:stream';
import { Reference } from '@helix/native';
import pg from 'pg';
import { pino } from 'pino';
import { applyMigrations, readMigrations } from '../../../src/db/migrations.js';
import { poolConfigFromUrl } from '../../../src/db/pool.js';
import { PostgresResultStore } from '../../../src/db/result-store.js';
import type { Logger } from '../../../src/logger.js';
import { migrationsDirectory } from '../../../src/paths.js';
import type { VariantRecord } from '../../../src/pipeline/records.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/database.js';
import { evenStrands } from '../../support/strands.js';
import { waitFor } from '../../support/wait-for.js';

/** A migrated database of its own. */
export interface TestDatabase {
  scratch: ScratchDatabase;
  pool: pg.Pool;
  store: PostgresResultStore;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const scratch = await createScratchDatabase();
  const pool = new pg.Pool({ ...poolConfigFromUrl(scratch.url), max: 8 });
  // `pool.end()` resolves before its connections have closed; dropping the database under one
  // that is still closing makes it fail with an error nobody listens to.
  let connections = 0;
  pool.on('connect', () => {
    connections += 1;
  });
  pool.on('remove', () => {
    connections -= 1;
  });
  await applyMigrations(pool, await readMigrations(migrationsDirectory));
  return {
    scratch,
    pool,
    store: new PostgresResultStore(pool),
    async close() {
      await pool.end();
      await waitFor(() => connections === 0, 5_000, 'the connections of the test database to close');
      await scratch.drop();
    },
  };
}

/** Reference of the simulated runs the tests store: what `Reference.random(50_000, 7)` gives. */
export const REFERENCE_LENGTH = 50_000;
export const REFERENCE_SEED = 7;
const referenceBases = Reference.random(REFERENCE_LENGTH, REFERENCE_SEED).sequence(0).toString('latin1');

/** Creates a simulated run whose stored config lets the interpreter rebuild its reference. */
export function createRun(database: TestDatabase): Promise<string> {
  return database.store.createRun({
    source: 'SIMULATED',
    config: { source: 'SIMULATED', referenceLength: REFERENCE_LENGTH, seed: REFERENCE_SEED },
    referenceName: 'random',
    referenceLength: REFERENCE_LENGTH,
    contigs: [{ name: 'random', length: REFERENCE_LENGTH }],
  });
}

const OTHER_BASE: Record<string, string> = { A: 'G', C: 'T', G: 'A', T: 'C' };

/**
 * `count` confirmed calls of a run at distinct sites that agree with the reference: mostly SNVs,
 * every fifth a deletion and every seventh an insertion.
 */
export function confirmedVariants(runId: string, count: number, firstPosition = 1_000): VariantRecord[] {
  return Array.from({ length: count }, (_, index) => {
    const position = firstPosition + index * 97;
    const base = referenceBases[position - 1] as string;
    const next = referenceBases[position] as string;
    const kind = index % 5 === 4 ? 'DELETION' : index % 7 === 6 ? 'INSERTION' : 'SNV';
    const [ref, alt] =
      kind === 'DELETION'
        ? [base + next, base]
        : kind === 'INSERTION'
          ? [base, `${base}TT`]
          : [base, OTHER_BASE[base] as string];
    return {
      runId,
      sample: 'sample',
      contig: 'random',
      position,
      ref,
      alt,
      type: kind,
      genotype: index % 3 === 0 ? '1/1' : '0/1',
      depth: 60,
      altCount: index % 3 === 0 ? 58 : 30,
      alleleFrequency: index % 3 === 0 ? 0.97 : 0.5,
      quality: 40 + (index % 4) * 10,
      ...evenStrands(60, index % 3 === 0 ? 58 : 30),
      status: 'CONFIRMED',
      seenAt: new Date(),
      effects: [],
    };
  });
}

/** A variant row's interpretation columns. */
export interface InterpretationRow {
  position: number;
  interpretation: Record<string, unknown> | null;
  source: string | null;
  state: 'PENDING' | 'DONE' | 'REJECTED';
  attempts: number;
}

export async function interpretationsOf(database: TestDatabase, runId: string): Promise<InterpretationRow[]> {
  const { rows } = await database.pool.query<InterpretationRow>(
    `SELECT position, interpretation, interpretation_source AS source, interpretation_state AS state,
       interpretation_attempts AS attempts
     FROM variants WHERE run_id = $1 AND status = 'CONFIRMED' ORDER BY position`,
    [runId],
  );
  return rows;
}

export { waitFor };

/** A pino logger whose lines the test reads back. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}
