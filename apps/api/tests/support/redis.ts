import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findFreePort } from '../../src/db/embedded.js';

/** A private `redis-server` for one test file, with its data kept across restarts. */
export interface RedisServer {
  url: string;
  /** Stops the server (SIGTERM: it writes its append-only file first, like a service restart). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  destroy(): Promise<void>;
}

/**
 * Starts the machine's `redis-server` (installed by .ci/run) on a free loopback port with
 * append-only persistence, so a restart (SIGTERM) keeps every queued batch.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await findFreePort();
  const dir = await mkdtemp(join(tmpdir(), 'helix-redis-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = started;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      started.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      started.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
      started.once('error', reject);
    });
    started.stdout?.removeAllListeners('data');
    started.stdout?.resume();
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    async destroy() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis database for one test file: on the shared server .ci/run starts, or a private one. */
export interface TestRedis {
  url: string;
  release(): Promise<void>;
}

/**
 * Database `database` (1–15, one per test file) of the Redis at `REDIS_TEST_URL`, emptied
 * before and after, or, without that variable, a private `redis-server`. Tests that restart
 * Redis use {@link startRedisServer} instead.
 */
export async function testRedis(database: number): Promise<TestRedis> {
  const shared = process.env.REDIS_TEST_URL;
  if (!shared) {
    const server = await startRedisServer();
    return { url: server.url, release: () => server.destroy() };
  }
  const url = new URL(shared);
  url.pathname = `/${database}`;
  const flush = async () => {
    const client = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    await client.flushdb();
    client.disconnect();
  };
  await flush();
  return { url: url.toString(), release: flush };
}
