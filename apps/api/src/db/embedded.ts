import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { clusterLocation } from './cluster-location.js';
import { packagedBinaries, sharedBinaries } from './embedded-binaries.js';
import { initialiseCluster, startPostgres } from './postgres-process.js';
import { postgresUser } from './postgres-user.js';

/** A PostgreSQL server run from npm-shipped binaries, with its data under one directory. */
export interface EmbeddedDatabase {
  /** Connection URL of the `helix` database on this server. */
  url: string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

const DATABASE_NAME = 'helix';

/** Asks the kernel for a free loopback port. */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function loadCredentials(directory: string): Promise<Credentials> {
  const file = join(directory, 'credentials.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { user: 'helix', password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/**
 * A server left running by a Helix process that died (its parent is now init) holds the data
 * directory; stop it. One owned by a live Helix process is reported instead.
 */
async function reclaimDataDirectory(dataDirectory: string): Promise<void> {
  const pidFile = join(dataDirectory, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!isAlive(pid)) {
    await rm(pidFile, { force: true });
    return;
  }
  const parent = Number((await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(' ')[3]);
  if (parent !== 1) {
    throw new Error(
      `The embedded database in ${dataDirectory} is in use by another process (PostgreSQL pid ${pid}); stop that Helix first.`,
    );
  }
  process.kill(pid, 'SIGINT');
  for (let waited = 0; isAlive(pid) && waited < 15_000; waited += 100) await sleep(100);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL whose credentials live under
 * `directory`, listening on loopback on a free port (or `options.port`). Data persists across
 * restarts. As root, PostgreSQL runs as the `postgres` system user from a copy of its binaries it
 * can reach, with its data where it can reach it (see {@link clusterLocation}).
 */
export async function startEmbeddedDatabase(
  directory: string,
  logger: Logger,
  options: { port?: number } = {},
): Promise<EmbeddedDatabase> {
  await mkdir(directory, { recursive: true });
  const user = process.getuid?.() === 0 ? await postgresUser() : undefined;
  const packaged = await packagedBinaries();
  const binaries = user ? await sharedBinaries(packaged, logger) : packaged;
  const dataDirectory = await clusterLocation(directory, user);
  const spec = { binaries, dataDirectory, user, logger };
  const credentials = await loadCredentials(directory);
  const firstStart = !existsSync(join(dataDirectory, 'PG_VERSION'));
  if (firstStart) {
    logger.info({ directory: dataDirectory }, 'initialising embedded PostgreSQL');
    await initialiseCluster(spec, credentials.user, credentials.password);
  } else {
    await reclaimDataDirectory(dataDirectory);
  }
  const port = options.port ?? (await findFreePort());
  const postmaster = await startPostgres(spec, port);
  const url = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  if (firstStart)
    await createDatabase(url).catch(async (error) => {
      await postmaster.stop();
      throw error;
    });
  logger.info({ port }, 'embedded PostgreSQL started');
  // If this process ends without stop() (a crash, process.exit), ask the server to shut down fast.
  const stopOnExit = () => {
    if (isAlive(postmaster.pid)) process.kill(postmaster.pid, 'SIGINT');
  };
  process.once('exit', stopOnExit);
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopOnExit);
      await postmaster.stop();
      logger.info('embedded PostgreSQL stopped');
    },
  };
}

/** Creates the `helix` database, connecting to the maintenance database `postgres` of the same server. */
async function createDatabase(url: string): Promise<void> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE_NAME)}`);
  } finally {
    await client.end();
  }
}
