import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ScratchDatabase, scratchDatabase } from './postgres';
import { freePort, type ManagedProcess, start, waitFor } from './processes';

const REPO_DIR = fileURLToPath(new URL('../../../..', import.meta.url));
const API_BIN = join(REPO_DIR, 'apps', 'api', 'bin', 'helix.js');

/** The real API (`helix serve`) as a child process, on a free port over a database of its own. */
export interface ApiProcess {
  /** Where it listens, e.g. http://127.0.0.1:41234. */
  origin: string;
  graphqlUrl: string;
  /** The server's input directory: files a run may name (created empty). */
  inputDir: string;
  operatorKey: string;
  viewerKey: string;
  database: ScratchDatabase;
  process: ManagedProcess;
  /** Stops it as Ctrl-C would. */
  stop(): Promise<void>;
  /** Starts it again (stopping it first if it runs) on the same port, data and database. */
  restart(options?: StartOptions): Promise<void>;
  /** Stops it, drops its database and removes its data. */
  close(): Promise<void>;
}

/** When a start counts as done. */
export interface StartOptions {
  /** Once `/ready` answers 200 (the default), or as soon as it listens (`/health`). */
  waitUntil?: 'ready' | 'listening';
}

/** Options of {@link startApi}. */
export interface FirstStartOptions extends StartOptions {
  /** Its database; by default a scratch database created here. One not created yet makes the API wait. */
  database?: ScratchDatabase;
  /** The browser origin the API allows (CORS), when a dashboard talks to it. */
  dashboardOrigin?: string;
}

async function createdScratchDatabase(): Promise<ScratchDatabase> {
  const database = scratchDatabase();
  await database.create();
  return database;
}

/** Starts `helix serve` from the built API with fresh operator and viewer keys. */
export async function startApi(options: FirstStartOptions = {}): Promise<ApiProcess> {
  if (!existsSync(join(REPO_DIR, 'apps', 'api', 'dist', 'cli.js'))) {
    throw new Error('The API is not built: run `npm run build -w @helix/api` (turbo runs it before tests).');
  }
  const database = options.database ?? (await createdScratchDatabase());
  const dataDir = await mkdtemp(join(tmpdir(), 'helix-web-api-'));
  await chmod(dataDir, 0o755);
  const inputDir = join(dataDir, 'inputs');
  await mkdir(inputDir);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const operatorKey = `op-${crypto.randomUUID()}`;
  const viewerKey = `view-${crypto.randomUUID()}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: database.url,
    HELIX_API_KEYS: `operator:${operatorKey},viewer:${viewerKey}`,
    HELIX_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...(options.dashboardOrigin && { HELIX_DASHBOARD_ORIGIN: options.dashboardOrigin }),
  };
  const launch = async ({ waitUntil = 'ready' }: StartOptions = {}) => {
    const child = start('api', process.execPath, [API_BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'], {
      cwd: REPO_DIR,
      env,
    });
    try {
      await waitFor(`${origin}/${waitUntil === 'ready' ? 'ready' : 'health'}`, child, 90_000);
    } catch (error) {
      await child.stop();
      throw error;
    }
    return child;
  };
  const cleanUp = async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  let first: ManagedProcess;
  try {
    first = await launch(options);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const api: ApiProcess = {
    origin,
    graphqlUrl: `${origin}/graphql`,
    inputDir,
    operatorKey,
    viewerKey,
    database,
    process: first,
    stop: () => api.process.stop(),
    async restart(restartOptions) {
      await api.process.stop();
      api.process = await launch(restartOptions);
    },
    async close() {
      await api.process.stop();
      await cleanUp();
    },
  };
  return api;
}
