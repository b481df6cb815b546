import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

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
