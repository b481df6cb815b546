import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type ApiProcess, startApi } from '../tests/support/api-server';
import { freePort, type ManagedProcess, start, waitFor } from '../tests/support/processes';

/** Where things are. */
export const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = join(WEB_DIR, '..', '..');
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

/** The API and dashboard of one test run, on free ports, with fresh keys and data. */
export interface Stack {
  webUrl: string;
  operatorKey: string;
  viewerKey: string;
  /** The real API over a scratch database; `api.stop()` and `api.restart()` make an outage. */
  api: ApiProcess;
  web: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts the real API (on a scratch database) and the built dashboard. */
export async function startStack(): Promise<Stack> {
  if (!existsSync(join(WEB_DIR, '.next', 'BUILD_ID'))) {
    throw new Error('The dashboard is not built: run `npm run build -w @helix/web` (turbo runs it before tests).');
  }
  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  const api = await startApi({ dashboardOrigin: webUrl });
  const web = start(
    'web',
    process.execPath,
    [join(REPO_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-p', String(webPort), '-H', '127.0.0.1'],
    {
      cwd: WEB_DIR,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        HELIX_API_URL: api.graphqlUrl,
      },
    },
  );
  try {
    await waitFor(`${webUrl}/sign-in`, web, 60_000);
  } catch (error) {
    await Promise.all([web.stop(), api.close()]);
    throw error;
  }
  return {
    webUrl,
    operatorKey: api.operatorKey,
    viewerKey: api.viewerKey,
    api,
    web,
    async stop() {
      await Promise.all([web.stop(), api.close()]);
    },
  };
}

/** What a browser test file drives: its stack and a headless Chromium. */
export interface BrowserStack {
  readonly stack: Stack;
  readonly browser: Browser;
}

/**
 * Starts the stack and a headless Chromium before the calling file's tests (with the screenshot
 * folder made) and stops both after them; a file's own `afterAll` hooks run first. The fields may
 * be read once the file's tests or later hooks run.
 */
export function browserStackForFile(): BrowserStack {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    stack = await startStack();
    browser = await chromium.launch({ ...CHROMIUM, headless: true });
    await mkdir(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  const started = <Value>(value: Value | undefined): Value => {
    if (value === undefined) throw new Error('The stack and browser start in beforeAll: read them in a hook or test.');
    return value;
  };
  return {
    get stack() {
      return started(stack);
    },
    get browser() {
      return started(browser);
    },
  };
}
