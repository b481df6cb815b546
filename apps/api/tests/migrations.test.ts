import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, latestSchemaSnapshot, MigrationError, readMigrations } from '../src/db/migrations.js';
import { poolConfigFromUrl } from '../src/db/pool.js';
import { diffSchemas } from '../src/db/schema-engine.js';
import { migrationsDirectory, prismaSchemaPath } from '../src/paths.js';
import { createScratchDatabase, type ScratchDatabase, serverUrl } from './support/database.js';

/** Everything about a database's structure that a migration can change, as comparable text. */
async function describeCatalog(pool: pg.Pool): Promise<string[]> {
  const queries = [
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
       WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'`,
    `SELECT t.typname, e.enumlabel, e.enumsortorder FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid`,
  ];
  const lines: string[] = [];
  for (const query of queries) {
    const { rows } = await pool.query(query);
    lines.push(...rows.map((row) => JSON.stringify(Object.values(row))));
  }
  return lines.sort();
}

describe('migrations', () => {
  let migrated: ScratchDatabase;
  let fromSchema: ScratchDatabase;
  let migratedPool: pg.Pool;

  beforeAll(async () => {
    migrated = await createScratchDatabase();
    fromSchema = await createScratchDatabase();
    migratedPool = new pg.Pool(poolConfigFromUrl(migrated.url));
  });

  afterAll(async () => {
    await migratedPool.end();
    await migrated.drop();
    await fromSchema.drop();
  });

  it('should apply every committed migration and record it as prisma migrate deploy does', async () => {
    const migrations = await readMigrations(migrationsDirectory);
    expect(migrations.length).toBeGreaterThan(0);
    const applied = await applyMigrations(migratedPool, migrations);
    expect(applied).toEqual(migrations.map((migration) => migration.name));
    const { rows } = await migratedPool.query(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(
      migrations.map((migration) => [migration.name, migration.checksum]),
    );
    expect(rows.every((row) => row.finished_at instanceof Date && row.applied_steps_count === 1)).toBe(true);
  });

  it('should do nothing when applied a second time', async () => {
    const migrations = await readMigrations(migrationsDirectory);
    expect(await applyMigrations(migratedPool, migrations)).toEqual([]);
  });

  it('should refuse a migration edited after it was applied', async () => {
    const [first, ...rest] = await readMigrations(migrationsDirectory);
    if (!first) throw new Error('no migrations');
    const edited = { ...first, checksum: '0'.repeat(64) };
    await expect(applyMigrations(migratedPool, [edited, ...rest])).rejects.toThrow(MigrationError);
  });

  it('should agree with prisma/schema.prisma', async () => {
    const schema = await readFile(prismaSchemaPath, 'utf8');
    const migrations = await readMigrations(migrationsDirectory);
    // The latest snapshot is where `npm run db:migration` starts from: it must be the current model.
    const snapshot = await latestSchemaSnapshot(migrationsDirectory, migrations);
    expect(await diffSchemas(serverUrl(), snapshot, schema)).toBe('');
    // And the migrations must build the same database as the model does.
    const fromSchemaPool = new pg.Pool(poolConfigFromUrl(fromSchema.url));
    try {
      await fromSchemaPool.query(await diffSchemas(serverUrl(), null, schema));
      expect(await describeCatalog(migratedPool)).toEqual(await describeCatalog(fromSchemaPool));
    } finally {
      await fromSchemaPool.end();
    }
  });
});
