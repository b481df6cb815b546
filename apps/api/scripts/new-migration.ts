/**
 * Writes the next migration offline: `npm run db:migration -- <name>`.
 *
 * Each migration folder keeps, beside Prisma's `migration.sql`, a `schema.prisma` snapshot of
 * the data model it leads to. The next migration is the diff from the latest snapshot to
 * prisma/schema.prisma, computed by Prisma's WebAssembly schema engine — the job
 * `prisma migrate dev --create-only` does with its native engine. The engine insists on a
 * database connection (it changes nothing there): DATABASE_URL, or a throw-away embedded server.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import { latestSchemaSnapshot, readMigrations } from '../src/db/migrations.js';
import { diffSchemas, MIGRATION_LOCK } from '../src/db/schema-engine.js';
import { loadConfig } from '../src/env.js';
import { createLogger } from '../src/logger.js';
import { migrationsDirectory, prismaSchemaPath } from '../src/paths.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name>   (lower-case letters, digits and _)');
  process.exit(2);
}

await mkdir(migrationsDirectory, { recursive: true });
const schema = await readFile(prismaSchemaPath, 'utf8');
const previous = await latestSchemaSnapshot(migrationsDirectory, await readMigrations(migrationsDirectory));
const config = loadConfig();
const scratch = config.databaseUrl ? undefined : await mkdtemp(join(tmpdir(), 'helix-migration-'));
const embedded = scratch ? await startEmbeddedDatabase(scratch, createLogger('warn')) : undefined;
let sql: string;
try {
  sql = await diffSchemas(config.databaseUrl ?? (embedded as { url: string }).url, previous, schema);
} finally {
  await embedded?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}
if (sql === '') {
  console.log('prisma/schema.prisma and the latest migration agree: nothing to write.');
} else {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = join(migrationsDirectory, `${stamp}_${name}`);
  await mkdir(folder);
  await writeFile(join(folder, 'migration.sql'), sql);
  await copyFile(prismaSchemaPath, join(folder, 'schema.prisma'));
  await writeFile(join(migrationsDirectory, 'migration_lock.toml'), MIGRATION_LOCK);
  console.log(`wrote ${folder}/migration.sql`);
}
