import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../logger.js';
import type { EmbeddedBinaries } from './embedded-binaries.js';
import type { PostgresUser } from './postgres-user.js';

/** How to run the embedded PostgreSQL programs on one data directory. */
export interface ClusterSpec {
  binaries: EmbeddedBinaries;
  dataDirectory: string;
  /** The account to run as, when Helix runs as root; otherwise Helix's own. */
  user: PostgresUser | undefined;
  logger: Logger;
}

/** A running postmaster, a child of this process. */
export interface PostgresProcess {
  pid: number;
  /** Fast shutdown (SIGINT: active sessions are ended) and wait for the server to exit. */
  stop(): Promise<void>;
}

/**
 * The programs' whole environment: untranslated messages, so "ready to accept connections" can be
 * recognised in any locale, and nothing of Helix's own (its keys and URLs are not the database's
 * business, and the server runs as another user who could read them from /proc).
 */
const POSTGRES_ENVIRONMENT = { LANG: 'C', LC_MESSAGES: 'C' };

/** {@link POSTGRES_ENVIRONMENT} as spawn takes it (Next.js declares `NODE_ENV` required there). */
const spawnEnvironment = POSTGRES_ENVIRONMENT as Partial<NodeJS.ProcessEnv> as NodeJS.ProcessEnv;

/** Spawns one of the programs; the working directory is one its user can enter (root's need not be). */
function spawnProgram(program: string, args: string[], spec: ClusterSpec, options: SpawnOptions = {}): ChildProcess {
  return spawn(program, args, {
    ...options,
    cwd: spec.binaries.directory,
    env: spawnEnvironment,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(spec.user && { uid: spec.user.uid, gid: spec.user.gid }),
  });
}

/** Calls `onLine` for each line the child writes to stdout or stderr. */
function followOutput(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
}

type Ending = { code: number | null; signal: NodeJS.Signals | null } | { error: Error };

/** How the child ended: its exit, or the error that kept it from starting (EACCES, ENOENT). */
function ended(child: ChildProcess): Promise<Ending> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ error }));
  });
}

function startFailure(program: string, reason: string, output: string[]): Error {
  const tail = output.slice(-10).join('\n');
  return new Error(`${program} failed: ${reason}${tail ? `\n${tail}` : ''}`);
}

/** Creates a new cluster in `spec.dataDirectory` with one superuser `user` identified by `password`. */
export async function initialiseCluster(spec: ClusterSpec, user: string, password: string): Promise<void> {
  await mkdir(spec.dataDirectory, { recursive: true, mode: 0o700 });
  if (spec.user) await chown(spec.dataDirectory, spec.user.uid, spec.user.gid);
  const scratch = await mkdtemp(join(tmpdir(), 'helix-initdb-'));
  const passwordFile = join(scratch, 'password');
  try {
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (spec.user) {
      await chown(scratch, spec.user.uid, spec.user.gid);
      await chown(passwordFile, spec.user.uid, spec.user.gid);
    }
    const initdb = spawnProgram(
      spec.binaries.initdb,
      [
        `--pgdata=${spec.dataDirectory}`,
        '--auth=scram-sha-256',
        `--username=${user}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--lc-messages=C',
      ],
      spec,
    );
    const output: string[] = [];
    followOutput(initdb, (line) => {
      output.push(line);
      spec.logger.trace({ postgres: line }, 'embedded initdb');
    });
    const ending = await ended(initdb);
    if ('error' in ending) throw startFailure('initdb', ending.error.message, output);
    if (ending.code !== 0) throw startFailure('initdb', `exit code ${ending.code ?? ending.signal}`, output);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Starts the postmaster on loopback `port` and resolves once it accepts connections. */
export async function startPostgres(spec: ClusterSpec, port: number): Promise<PostgresProcess> {
  const postmaster = spawnProgram(
    spec.binaries.postgres,
    ['-D', spec.dataDirectory, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'lc_messages=C'],
    spec,
    // Its own process group: a Ctrl-C for Helix must not reach it before Helix has closed its pool.
    { detached: true },
  );
  const output: string[] = [];
  const exited = ended(postmaster);
  // The postmaster keeps writing to its pipes for as long as it runs; keep reading them.
  await new Promise<void>((resolve, reject) => {
    followOutput(postmaster, (line) => {
      if (output.length < 50) output.push(line);
      spec.logger.trace({ postgres: line }, 'embedded postgres');
      if (line.includes('database system is ready to accept connections')) resolve();
    });
    void exited.then((ending) =>
      reject(
        startFailure(
          'postgres',
          'error' in ending ? ending.error.message : `exit code ${ending.code ?? ending.signal}`,
          output,
        ),
      ),
    );
  });
  return {
    pid: postmaster.pid as number,
    async stop() {
      if (postmaster.exitCode !== null || postmaster.signalCode !== null) return;
      postmaster.kill('SIGINT');
      await exited;
    },
  };
}
