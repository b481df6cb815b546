import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The unprivileged account PostgreSQL runs as when Helix runs as root (PostgreSQL refuses root). */
export interface PostgresUser {
  name: string;
  uid: number;
  gid: number;
}

const USER_NAME = 'postgres';

async function lookUp(name: string): Promise<PostgresUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** The `postgres` system user, created (as a system account without a home) on first use. */
export async function postgresUser(): Promise<PostgresUser> {
  const existing = await lookUp(USER_NAME);
  if (existing) return existing;
  try {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER_NAME]);
  } catch (error) {
    throw new Error(
      `PostgreSQL cannot run as root and there is no "${USER_NAME}" user to run it as, nor could one be created (${(error as Error).message.trim()}); create it with "useradd --system ${USER_NAME}", run Helix as another user, or set DATABASE_URL.`,
    );
  }
  const created = await lookUp(USER_NAME);
  if (!created) throw new Error(`useradd reported success but "${USER_NAME}" does not exist`);
  return created;
}

/**
 * The nearest directory on the way to `path` that `user` may not pass through (no search
 * permission for it as owner, group or other), or undefined when it can reach `path`.
 * A child spawned with a uid keeps only its primary group, so only that one counts.
 */
export async function firstBarrier(path: string, user: PostgresUser): Promise<string | undefined> {
  const chain: string[] = [];
  for (let current = path; ; current = dirname(current)) {
    chain.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const directory of chain) {
    const { mode, uid, gid } = await stat(directory);
    const searchBit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
    if ((mode & searchBit) === 0) return directory;
  }
  return undefined;
}
