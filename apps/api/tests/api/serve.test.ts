import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, serve } from '../../src/commands/serve.js';
import { poolConfigFromUrl } from '../../src/db/pool.js';
import { loadConfig } from '../../src/env.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/database.js';
import { postGraphQL, testKeys } from '../support/server.js';
import { sleep } from './support.js';

describe('helix serve wiring', () => {
  let scratch: ScratchDatabase;
  let dataDir: string;
  let service: RunningService;
  const lines: { msg: string; [key: string]: unknown }[] = [];

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'helix-serve-wiring-'));
    const config = loadConfig({
      DATABASE_URL: scratch.url,
      HELIX_DATA_DIR: dataDir,
      PORT: '0',
      HELIX_API_KEYS: `operator:${testKeys.operator},viewer:${testKeys.viewer}`,
    });
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    service = await serve(config, pino({ level: 'info' }, sink));
    for (let waited = 0; waited < 10_000; waited += 50) {
      if (
        (await fetch(service.url.replace('/graphql', '/ready'))).status === 200 &&
        lines.some((l) => l.msg === 'database ready')
      )
        break;
      await sleep(50);
    }
  });

  afterAll(async () => {
    await scratch?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('should run the pipeline once the database is ready, log and interpret confirmed variants, and drain the run on shutdown', async () => {
    const { body } = await postGraphQL(
      service.url,
      `mutation { startPipeline(input: { referenceLength: 20000, readsPerSecond: 20000, workers: 1, seed: 3 }) {
        __typename ... on Run { id } } }`,
      { key: testKeys.operator },
    );
    const run = (body.data as { startPipeline: { __typename: string; id: string } }).startPipeline;
    expect(run.__typename).toBe('Run');
    for (let waited = 0; waited < 15_000 && !lines.some((line) => line.msg === 'mutation detected'); waited += 100)
      await sleep(100);
    const alarm = lines.find((line) => line.msg === 'mutation detected');
    expect(alarm).toMatchObject({ runId: run.id, contig: expect.any(String), position: expect.any(Number) });

    let interpreted: { source: string; summary: string } | null = null;
    for (let waited = 0; waited < 10_000 && !interpreted; waited += 200) {
      const answer = await postGraphQL(
        service.url,
        'query ($run: ID!) { variants(filter: { runId: $run, status: CONFIRMED }, first: 1) { edges { node { interpretation { source summary } } } } }',
        { key: testKeys.viewer, variables: { run: run.id } },
      );
      type Interpretation = { source: string; summary: string } | null;
      const data = answer.body.data as { variants: { edges: { node: { interpretation: Interpretation } }[] } };
      const edges = data.variants.edges;
      interpreted = edges[0]?.node.interpretation ?? null;
      if (!interpreted) await sleep(200);
    }
    expect(interpreted).toMatchObject({ source: 'rules', summary: expect.any(String) });

    await service.stop();
    const client = new pg.Client(poolConfigFromUrl(scratch.url));
    await client.connect();
    try {
      const {
        rows: [stored],
      } = await client.query<{ status: string; reads_produced: string; reads_analysed: string }>(
        'SELECT status, reads_produced, reads_analysed FROM runs WHERE id = $1',
        [run.id],
      );
      expect(stored?.status).toBe('STOPPED');
      expect(Number(stored?.reads_analysed)).toBe(Number(stored?.reads_produced));
      expect(Number(stored?.reads_analysed)).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
    expect(lines.some((line) => line.msg === 'stopping the run (draining)')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(testKeys.operator);
  });
});
