import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where things are. */
export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = join(WEB_DIR, '..', '..');
export const API_BIN = join(REPO_DIR, 'apps', 'api', 'bin', 'helix.js');
export const SCREENSHOT_DIR = join(WEB_DIR, 'e2e', 'screenshots');

/** Chromium as Debian ships it, with the flags this workplace needs (no network, no GPU). */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Polls `url` until it answers `status`, or fails after `timeoutMs` with the process's output. */
export async function waitFor(url: string, process: ManagedProcess, timeoutMs = 60_000, status = 200) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (process.exited) throw new Error(`${process.name} exited early:\n${process.output()}`);
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status === status) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms:\n${process.output()}`);
}

/** A child process whose output is kept for failure messages. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: boolean;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a process in its own group, so stopping it stops its children too. */
export function start(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const managed: ManagedProcess = {
    name,
    child,
    exited: false,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (managed.exited || child.pid === undefined) return resolve();
        const force = setTimeout(() => {
          try {
            process.kill(-(child.pid as number), 'SIGKILL');
          } catch {
            // already gone
          }
        }, 15_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        try {
          process.kill(-(child.pid as number), 'SIGTERM');
        } catch {
          clearTimeout(force);
          resolve();
        }
      }),
  };
  child.once('exit', () => {
    managed.exited = true;
  });
  return managed;
}

/** The API and dashboard of one test run, on free ports, with fresh keys and data. */
export interface Stack {
  apiUrl: string;
  webUrl: string;
  operatorKey: string;
  viewerKey: string;
  api: ManagedProcess;
  web: ManagedProcess;
  /** Starts the API again on the same port and data (after `api.stop()`). */
  restartApi(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the real API (embedded PostgreSQL unless DATABASE_URL is set) and the built dashboard. */
export async function startStack(): Promise<Stack> {
  if (!existsSync(join(REPO_DIR, 'apps', 'api', 'dist', 'cli.js'))) {
    throw new Error('The API is not built: run `npm run build -w @helix/api` (turbo runs it before tests).');
  }
  if (!existsSync(join(WEB_DIR, '.next', 'BUILD_ID'))) {
    throw new Error('The dashboard is not built: run `npm run build -w @helix/web` (turbo runs it before tests).');
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'helix-web-e2e-'));
  // Embedded PostgreSQL runs as its own user when we are root: it must be able to enter the directory.
  await chmod(dataDir, 0o755);
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const operatorKey = `op-${crypto.randomUUID()}`;
  const viewerKey = `view-${crypto.randomUUID()}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const apiEnv: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HELIX_API_KEYS: `operator:${operatorKey},viewer:${viewerKey}`,
    HELIX_DATA_DIR: dataDir,
    HELIX_DASHBOARD_ORIGIN: webUrl,
    LOG_LEVEL: 'warn',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  };
  const startApi = async () => {
    const api = start('api', process.execPath, [API_BIN, 'serve', '--port', String(apiPort), '--host', '127.0.0.1'], {
      cwd: REPO_DIR,
      env: apiEnv,
    });
    await waitFor(`${apiUrl}/ready`, api, 90_000);
    return api;
  };
  let api: ManagedProcess | undefined;
  let web: ManagedProcess | undefined;
  try {
    api = await startApi();
    web = start(
      'web',
      process.execPath,
      [
        join(REPO_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'),
        'start',
        '-p',
        String(webPort),
        '-H',
        '127.0.0.1',
      ],
      {
        cwd: WEB_DIR,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
          HELIX_API_URL: `${apiUrl}/graphql`,
        },
      },
    );
    await waitFor(`${webUrl}/sign-in`, web, 60_000);
  } catch (error) {
    await Promise.all([web?.stop(), api?.stop()]);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const stack: Stack = {
    apiUrl,
    webUrl,
    operatorKey,
    viewerKey,
    api: api as ManagedProcess,
    web: web as ManagedProcess,
    async restartApi() {
      stack.api = await startApi();
    },
    async stop() {
      await Promise.all([stack.web.stop(), stack.api.stop()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}
