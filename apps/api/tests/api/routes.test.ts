import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardOrigin, postGraphQL, startTestServer, type TestServer, testKeys } from '../support/server.js';

/** Runs `bcftools` on a VCF text and returns its output (throws when bcftools rejects the file). */
async function bcftools(vcf: string, args: string[]): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'helix-vcf-'));
  try {
    const file = join(directory, 'calls.vcf');
    await writeFile(file, vcf);
    return execFileSync('bcftools', [...args, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

describe('HTTP routes beside GraphQL', () => {
  let api: TestServer;
  let singleContigRun: string;
  let multiContigRun: string;

  const vcf = (runId: string, key: string | undefined = testKeys.viewer, headers: Record<string, string> = {}) =>
    fetch(`${api.origin}/runs/${runId}/variants.vcf`, {
      headers: { ...(key && { authorization: `Bearer ${key}` }), ...headers },
    });

  beforeAll(async () => {
    api = await startTestServer();
    const { pool } = api.database;
    const insertRun = async (referenceName: string, referenceLength: number) =>
      (
        await pool.query<{ id: string }>(
          `INSERT INTO runs (id, source, config, reference_name, reference_length, status)
           VALUES (gen_random_uuid(), 'FASTQ', '{}', $1, $2, 'COMPLETED') RETURNING id`,
          [referenceName, referenceLength],
        )
      ).rows[0]?.id as string;
    singleContigRun = await insertRun('random', 20_000);
    multiContigRun = await insertRun('3 contigs', 30_000);
    // 12,000 confirmed calls (more than one read chunk), inserted out of order, and candidates that must not appear.
    await pool.query(
      `INSERT INTO variants (run_id, contig, position, ref, alt, type, genotype, depth, alt_count, allele_frequency, quality, status)
       SELECT $1, 'random', s, 'A', CASE WHEN s % 2 = 0 THEN 'G' ELSE 'AT' END,
         CASE WHEN s % 2 = 0 THEN 'SNV' ELSE 'INSERTION' END::"VariantType", '0/1', 40, 20, 0.5, 55.25,
         CASE WHEN s % 10 = 0 THEN 'CANDIDATE' ELSE 'CONFIRMED' END::"VariantStatus"
       FROM generate_series(1, 13333) AS s ORDER BY random()`,
      [singleContigRun],
    );
    await pool.query(
      `INSERT INTO variants (run_id, contig, position, ref, alt, type, genotype, depth, alt_count, allele_frequency, quality, status)
       SELECT $1, 'contig' || (s % 3), 100 + s, 'C', 'T', 'SNV', NULL, 25, 10, 0.4, 30, 'CONFIRMED'
       FROM generate_series(1, 30) AS s`,
      [multiContigRun],
    );
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('GET /runs/:id/variants.vcf', () => {
    it("should stream a run's confirmed variants as VCF 4.3 that bcftools reads, in position order", async () => {
      const response = await vcf(singleContigRun);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-disposition')).toContain(`helix-${singleContigRun}.vcf`);
      const text = await response.text();
      expect(text.startsWith('##fileformat=VCFv4.3\n')).toBe(true);
      expect(text).toContain('##contig=<ID=random,length=20000>');
      const records = (await bcftools(text, ['view', '-H'])).trim().split('\n');
      expect(records).toHaveLength(12_000);
      const positions = records.map((line) => Number(line.split('\t')[1]));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect((await bcftools(text, ['view', '-H', '-i', 'INFO/TYPE="INSERTION"'])).trim().split('\n')).toHaveLength(
        6_667,
      );
    });

    it('should list the contigs of a multi-contig run and keep its records grouped by contig', async () => {
      const text = await (await vcf(multiContigRun)).text();
      expect(text).toContain('##contig=<ID=contig0>');
      const records = (await bcftools(text, ['view', '-H'])).trim().split('\n');
      expect(records).toHaveLength(30);
      const contigs = records.map((line) => line.split('\t')[0]);
      expect(contigs).toEqual([...contigs].sort());
    });

    it('should refuse a caller without a key with 401', async () => {
      const response = await vcf(singleContigRun, '');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('should answer 404 for an unknown or malformed run id', async () => {
      expect((await vcf('00000000-0000-0000-0000-000000000000')).status).toBe(404);
      expect((await vcf('..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    });

    it('should let the dashboard origin download it (CORS)', async () => {
      const response = await vcf(singleContigRun, testKeys.viewer, { origin: dashboardOrigin });
      expect(response.headers.get('access-control-allow-origin')).toBe(dashboardOrigin);
      await response.body?.cancel();
    });
  });

  describe('GET /metrics', () => {
    it('should expose pipeline gauges, counters, the request histogram and cache counters in Prometheus text', async () => {
      await postGraphQL(api.url, '{ pipeline { state } }', { key: testKeys.viewer });
      const response = await fetch(`${api.origin}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toMatch(/^helix_pipeline_state\{state="IDLE"\} 1$/m);
      expect(text).toMatch(/^helix_queue_depth_batches 0$/m);
      expect(text).toMatch(/^helix_reads_analysed_total \d+$/m);
      expect(text).toMatch(
        /^helix_graphql_request_duration_seconds_count\{operation_type="query",status="200"\} [1-9]\d*$/m,
      );
      expect(text).toMatch(/^helix_response_cache_hits_total \d+$/m);
      expect(text).toMatch(/^helix_response_cache_misses_total [1-9]\d*$/m);
      expect(text).toMatch(/^helix_subscribers 0$/m);
      expect(text).toMatch(/^helix_process_resident_memory_bytes \d+$/m);
    });
  });
});
