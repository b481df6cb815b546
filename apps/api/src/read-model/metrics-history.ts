import type pg from 'pg';
import type { MetricSampleRow } from './rows.js';
import { SqlFilter } from './sql.js';

const SAMPLE_COLUMNS = `ingestion_rate AS "ingestionRate", processing_rate AS "processingRate", queue_depth AS "queueDepth",
  in_flight AS "inFlight", throttled, sink_lag AS "sinkLag", reads_produced::float8 AS "readsProduced",
  reads_analysed::float8 AS "readsAnalysed", latency_p50_ms AS "latencyP50Ms", latency_p99_ms AS "latencyP99Ms"`;

/**
 * A run's per-second samples between `from` and `to`; when there are more than `maxPoints`,
 * averaged into that many equal time buckets (peaks kept for depth, lag and throttling).
 */
export async function metricsHistory(
  pool: pg.Pool,
  runId: string,
  from: Date | undefined,
  to: Date | undefined,
  maxPoints: number,
): Promise<MetricSampleRow[]> {
  const sql = new SqlFilter();
  sql.where(`run_id = ${sql.param(runId)}`);
  if (from) sql.where(`at >= ${sql.param(from)}`);
  if (to) sql.where(`at < ${sql.param(to)}`);
  const span = await pool.query<{ n: number; first: Date | null; last: Date | null }>(
    `SELECT count(*)::float8 AS n, min(at) AS first, max(at) AS last FROM metric_samples ${sql.clause}`,
    sql.params,
  );
  const { n, first, last } = span.rows[0] ?? { n: 0, first: null, last: null };
  if (n <= maxPoints || !first || !last) {
    const { rows } = await pool.query<MetricSampleRow>(
      `SELECT at, ${SAMPLE_COLUMNS} FROM metric_samples ${sql.clause} ORDER BY at`,
      sql.params,
    );
    return rows;
  }
  const bucketSeconds = Math.max(1, Math.ceil((last.getTime() - first.getTime()) / 1_000 / maxPoints) + 1);
  const origin = sql.param(first);
  const width = sql.param(bucketSeconds);
  const { rows } = await pool.query<MetricSampleRow>(
    `SELECT min(at) AS at, avg(ingestion_rate) AS "ingestionRate", avg(processing_rate) AS "processingRate",
       max(queue_depth) AS "queueDepth", max(in_flight) AS "inFlight", bool_or(throttled) AS throttled,
       max(sink_lag) AS "sinkLag", max(reads_produced)::float8 AS "readsProduced",
       max(reads_analysed)::float8 AS "readsAnalysed", avg(latency_p50_ms) AS "latencyP50Ms",
       max(latency_p99_ms) AS "latencyP99Ms"
     FROM metric_samples ${sql.clause}
     GROUP BY floor(extract(epoch FROM at - ${origin}::timestamptz) / ${width}::int)
     ORDER BY 1`,
    sql.params,
  );
  return rows;
}
