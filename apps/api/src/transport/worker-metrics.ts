import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { scrapedCounter } from '../http/scraped-counter.js';
import type { WorkerStats } from './stream-worker.js';

/** A worker's `/metrics` endpoint, for Prometheus to count workers and their progress. */
export interface WorkerMetricsServer {
  address: AddressInfo;
  close(): Promise<void>;
}

/** Serves `stats` (read at scrape time) as Prometheus counters on `/metrics` at `port` on `host`. */
export async function serveWorkerMetrics(stats: WorkerStats, port: number, host: string): Promise<WorkerMetricsServer> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'helix_worker_' });
  const counted = (name: string, help: string, read: (stats: WorkerStats) => number) =>
    scrapedCounter(registry, name, help, () => read(stats));
  counted('helix_worker_batches_total', 'Batches this worker analysed.', (s) => s.batches);
  counted('helix_worker_reads_total', 'Reads this worker analysed.', (s) => s.reads);
  counted(
    'helix_worker_batches_reclaimed_total',
    "Batches taken over from another worker's pending list.",
    (s) => s.reclaimed,
  );
  counted(
    'helix_worker_batches_dead_lettered_total',
    'Batches this worker moved to the dead-letter stream.',
    (s) => s.deadLettered,
  );

  const server: Server = createServer((request, response) => {
    if ((request.url ?? '/').split('?')[0] !== '/metrics') return void response.writeHead(404).end();
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    address: server.address() as AddressInfo,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
