#!/usr/bin/env node
// `npm start`: builds what is missing, then runs the API (port 4000) and the dashboard (port 3000)
// in the foreground with prefixed output. Ctrl-C stops both; if one exits, the other is stopped.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NEXT_TELEMETRY_DISABLED: '1' };

const build = spawnSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const apiPort = env.PORT ?? '4000';
const webPort = '3000';
const services = [
  // From the repository root, so the embedded database and keys live in ./.helix.
  { name: 'api', command: process.execPath, args: ['apps/api/bin/helix.js', 'serve'], env: {} },
  {
    name: 'web',
    command: 'npm',
    args: ['run', 'start', '-w', '@helix/web'],
    // PORT and HOST are the API's here; the dashboard's start script would bind them too.
    env: {
      HELIX_API_URL: env.HELIX_API_URL ?? `http://127.0.0.1:${apiPort}/graphql`,
      PORT: webPort,
      HOST: '127.0.0.1',
    },
  },
];

let stopping = false;
const children = services.map((service) => {
  const child = spawn(service.command, service.args, {
    cwd: root,
    env: { ...env, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so a stop reaches npm's children too
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${service.name}] ${line}\n`));
  }
  child.on('exit', (code) => {
    if (!stopping) {
      process.stdout.write(`[${service.name}] exited with code ${code}; stopping the others\n`);
      stop(code ?? 1);
    }
  });
  return child;
});

process.stdout.write(
  `\nHelix-Throttle: dashboard http://127.0.0.1:${webPort}, API http://127.0.0.1:${apiPort}/graphql\n\n`,
);

function stop(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
  for (const child of running) {
    try {
      process.kill(-child.pid, 'SIGINT');
    } catch {}
  }
  let left = running.length;
  if (left === 0) process.exit(exitCode);
  for (const child of running) {
    child.once('exit', () => {
      left -= 1;
      if (left === 0) process.exit(exitCode);
    });
  }
  setTimeout(() => process.exit(exitCode), 15_000).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
