import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SHARED_ROOT } from './embedded-binaries.js';
import { firstBarrier, type PostgresUser } from './postgres-user.js';

/** The file, beside the credentials, naming where a relocated cluster's data lives. */
export const LOCATION_FILE = 'data-location';

/**
 * The PostgreSQL data directory that belongs to `directory` (the embedded database's folder
 * under HELIX_DATA_DIR). Normally `<directory>/data`. As root, when the `postgres` user cannot
 * enter `directory` (a clone under /root), the data lives under {@link SHARED_ROOT}, keyed by the
 * real path of `directory`, and that place is recorded in `<directory>/data-location`, so
 * restarts (and a moved folder) find the same data.
 */
export async function clusterLocation(directory: string, user: PostgresUser | undefined): Promise<string> {
  const recorded = join(directory, LOCATION_FILE);
  if (existsSync(recorded)) {
    const relocated = (await readFile(recorded, 'utf8')).trim();
    // Emptied by hand (or a new disk): a new cluster starts there, as in an emptied HELIX_DATA_DIR.
    if (user) await prepareForPostgres(relocated, user);
    return relocated;
  }
  const inPlace = join(directory, 'data');
  if (!user) return inPlace;
  await chmod(directory, 0o755);
  const barrier = await firstBarrier(directory, user);
  if (!barrier) return inPlace;
  if (existsSync(join(inPlace, 'PG_VERSION'))) {
    throw new Error(
      `The embedded database in ${inPlace} cannot be reached by the "${user.name}" user PostgreSQL runs as, because of ${barrier}; run "chmod o+x ${barrier}".`,
    );
  }
  const relocated = join(SHARED_ROOT, 'clusters', await keyOf(directory));
  try {
    await prepareForPostgres(relocated, user);
    await writeFile(recorded, `${relocated}\n`);
  } catch (error) {
    throw new Error(
      `The "${user.name}" user PostgreSQL runs as cannot enter ${barrier}, and its data could not be placed in ${relocated} instead (${(error as Error).message}); run "chmod o+x ${barrier}", make ${SHARED_ROOT} writable for root, or set DATABASE_URL.`,
    );
  }
  return relocated;
}

/** A short name for `directory` that stays the same across restarts: a digest of its real path. */
async function keyOf(directory: string): Promise<string> {
  return createHash('sha256')
    .update(await realpath(directory))
    .digest('hex')
    .slice(0, 16);
}

/** A data directory the `postgres` user owns, below directories it may enter. */
async function prepareForPostgres(dataDirectory: string, user: PostgresUser): Promise<void> {
  await mkdir(dirname(dataDirectory), { recursive: true, mode: 0o755 });
  await chmod(dirname(dataDirectory), 0o755);
  if (existsSync(dataDirectory)) return;
  await mkdir(dataDirectory, { mode: 0o700 });
  await chown(dataDirectory, user.uid, user.gid);
}
