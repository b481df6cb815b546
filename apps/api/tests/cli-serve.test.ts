import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCATION_FILE } from '../src/db/cluster-location.js';
import { findFreePort } from '../src/db/embedded.js';
import { runHelix } from './support/process.js';
import { postGraphQL } from './support/server.js';

describe('helix serve', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'helix-serve-'));
    // As root the embedded server runs as "postgres", which must be able to enter the directory.
    await chmod(dataDir, 0o755);
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('should exit 1 naming the variable when the configuration is invalid', async () => {
    const helix = runHelix(['serve'], { PORT: 'eighty', HELIX_DATA_DIR: dataDir });
    expect(await helix.exited).toBe(1);
    expect(helix.output()).toMatch(/PORT/);
    expect(helix.output()).not.toMatch(/\n\s+at /);
  });

  it('should exit 2 for an unknown flag', async () => {
    const helix = runHelix(['serve', '--prot', '4000'], { HELIX_DATA_DIR: dataDir });
    expect(await helix.exited).toBe(2);
    expect(helix.output()).toMatch(/--prot/);
  });

  it('should say so when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const helix = runHelix(['serve', '--port', String(port)], {
        HELIX_DATA_DIR: dataDir,
        DATABASE_URL: 'postgresql://x:y@127.0.0.1:1/x',
      });
      expect(await helix.exited).toBe(1);
      expect(helix.output()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('should stay up, report not ready and keep retrying while the database is unreachable', async () => {
    const port = await findFreePort();
    const helix = runHelix(['serve', '--port', String(port)], {
      HELIX_DATA_DIR: dataDir,
      DATABASE_URL: `postgresql://helix:helix@127.0.0.1:${await findFreePort()}/helix`,
    });
    try {
      await helix.waitFor('database not reachable, retrying');
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(503);
      const { body } = await postGraphQL(`http://127.0.0.1:${port}/graphql`, '{ runs(first: 1) { totalCount } }');
      expect(body.errors?.[0]?.message).toMatch(/not ready/);
    } finally {
      expect(await helix.stop()).toBe(0);
    }
  });

  it('should run on an embedded PostgreSQL, print an operator key once, and keep data across restarts', async () => {
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const first = runHelix(['serve', '--port', String(port)], { HELIX_DATA_DIR: dataDir });
    await first.waitFor('database ready', 60_000);
    const key = (await readFile(join(dataDir, 'operator-key'), 'utf8')).trim();
    expect(first.output()).toContain(key);
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);

    // Write a run straight into the embedded server, found through its pid file and credentials.
    const pidFile = (await readFile(join(dataDir, 'postgres/data/postmaster.pid'), 'utf8')).split('\n');
    const credentials = JSON.parse(await readFile(join(dataDir, 'postgres/credentials.json'), 'utf8'));
    const client = new pg.Client({ host: '127.0.0.1', port: Number(pidFile[3]), database: 'helix', ...credentials });
    await client.connect();
    await client.query(
      `INSERT INTO runs (id, source, config, reference_name, reference_length) VALUES (gen_random_uuid(), 'SIMULATED', '{}', 'random', 1000)`,
    );
    await client.end();
    expect(await first.stop('SIGINT')).toBe(0);

    const second = runHelix(['serve', '--port', String(port)], { HELIX_DATA_DIR: dataDir });
    try {
      await second.waitFor('database ready', 60_000);
      expect(second.output()).not.toContain(key);
      const { body } = await postGraphQL(url, '{ runs(first: 1) { totalCount } }', { key });
      expect(body).toEqual({ data: { runs: { totalCount: 1 } } });
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  }, 120_000);

  describe('in a folder the postgres user cannot enter (a clone under /root)', () => {
    let privateFolder: string;
    const asRoot = process.getuid?.() === 0;

    beforeEach(async () => {
      privateFolder = await mkdtemp(join(tmpdir(), 'helix-private-'));
      await chmod(privateFolder, 0o700);
    });

    afterEach(async () => {
      const location = join(privateFolder, '.helix/postgres', LOCATION_FILE);
      if (existsSync(location)) await rm((await readFile(location, 'utf8')).trim(), { recursive: true, force: true });
      await rm(privateFolder, { recursive: true, force: true });
    });

    it('should start the embedded PostgreSQL and keep its data across restarts', async () => {
      const helixDataDir = join(privateFolder, '.helix');
      const port = await findFreePort();
      const first = runHelix(['serve', '--port', String(port)], { HELIX_DATA_DIR: helixDataDir });
      await first.waitFor('database ready', 60_000);
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
      const key = (await readFile(join(helixDataDir, 'operator-key'), 'utf8')).trim();
      const { body: created } = await postGraphQL(
        `http://127.0.0.1:${port}/graphql`,
        'mutation { startPipeline(input: { referenceLength: 2000, totalReads: 200, workers: 1 }) { __typename } }',
        { key },
      );
      expect(created).toEqual({ data: { startPipeline: { __typename: 'Run' } } });
      expect(await first.stop('SIGINT')).toBe(0);
      if (asRoot) {
        const location = (await readFile(join(helixDataDir, 'postgres', LOCATION_FILE), 'utf8')).trim();
        expect(location.startsWith(privateFolder)).toBe(false);
        expect(existsSync(join(location, 'PG_VERSION'))).toBe(true);
      }

      const second = runHelix(['serve', '--port', String(port)], { HELIX_DATA_DIR: helixDataDir });
      try {
        await second.waitFor('database ready', 60_000);
        const { body } = await postGraphQL(`http://127.0.0.1:${port}/graphql`, '{ runs(first: 1) { totalCount } }', {
          key,
        });
        expect(body).toEqual({ data: { runs: { totalCount: 1 } } });
      } finally {
        expect(await second.stop('SIGTERM')).toBe(0);
      }
    }, 120_000);

    it.runIf(asRoot)(
      'should exit 1 naming the chmod when data it made earlier is now out of reach (as root)',
      async () => {
        const helixDataDir = join(privateFolder, '.helix');
        await chmod(privateFolder, 0o755);
        const port = await findFreePort();
        const first = runHelix(['serve', '--port', String(port)], { HELIX_DATA_DIR: helixDataDir });
        await first.waitFor('database ready', 60_000);
        expect(await first.stop('SIGINT')).toBe(0);
        await chmod(privateFolder, 0o700);

        const second = runHelix(['serve', '--port', String(port)], { HELIX_DATA_DIR: helixDataDir });
        expect(await second.exited).toBe(1);
        expect(second.output()).toContain(`chmod o+x ${privateFolder}`);
        expect(second.output()).not.toMatch(/\n\s+at /);
      },
      120_000,
    );
  });
});
