import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { InterpretationMetrics } from '../interpret/metrics.js';
import type { PipelineControl } from '../pipeline/control.js';
import type { PipelineMetrics } from '../pipeline/metrics.js';
import type { HelixPubSub, MetricsEvent } from '../pubsub/events.js';
import type { SharedSubscriptions } from '../pubsub/shared-subscriptions.js';
import type { CacheCounters } from './response-cache.js';
import { scrapedCounter } from './scraped-counter.js';

const STATES = ['IDLE', 'RUNNING', 'THROTTLED', 'STOPPING'] as const;

/** What the exporter reads at scrape time. */
export interface MetricSources {
  pipeline(): PipelineControl | undefined;
  subscriptions: SharedSubscriptions;
  webSockets(): number;
  cacheEntries(): number;
  /** Whether the database answers and its migrations are applied (what /ready reports). */
  databaseReady(): Promise<boolean>;
}

/** The server's Prometheus instruments, in a registry of their own. */
export interface ApiMetrics {
  registry: Registry;
  graphqlDuration: Histogram<'operation_type' | 'status'>;
  cache: CacheCounters;
  subscriptionDrops: Counter<'reason'>;
  /** Batches of this replica's runs that workers gave up on (moved to the dead-letter stream). */
  deadLetters: Counter;
  /** Alarms of this replica's runs that matched a mutation of concern, by gene and change. */
  mutationsOfConcernDetected: Counter<'gene' | 'amino_acid_change'>;
  /** Starts counting the pipeline's progress from the pubsub's metrics stream. */
  follow(pubsub: HelixPubSub): void;
  /** Exports the interpretation service's counters and gauges. */
  followInterpretation(source: { metrics(): InterpretationMetrics }): void;
  close(): void;
}

/**
 * Pipeline gauges are read from the pipeline when scraped; its counters add the progress of each
 * metrics tick, so they only ever grow across runs (as Prometheus counters must).
 */
export function createApiMetrics(sources: MetricSources): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'helix_' });
  const live = (): PipelineMetrics | undefined => sources.pipeline()?.metrics();
  const gauge = (name: string, help: string, read: (metrics: PipelineMetrics) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const metrics = live();
        const value = metrics && read(metrics);
        this.set(value ?? 0);
      },
    });
  new Gauge({
    name: 'helix_pipeline_state',
    help: 'The pipeline state: 1 for the current state, 0 for the others.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const state = sources.pipeline()?.state;
      for (const candidate of STATES) this.set({ state: candidate }, candidate === state ? 1 : 0);
    },
  });
  gauge('helix_pipeline_throttled', '1 while the producer is throttled.', (m) => (m.throttled ? 1 : 0));
  gauge('helix_queue_depth_batches', 'Batches waiting in the queue.', (m) => m.queueDepth);
  gauge('helix_queue_high_water_batches', 'Queue depth above which the producer is paused.', (m) => m.highWater);
  gauge('helix_queue_low_water_batches', 'Queue depth below which the producer resumes.', (m) => m.lowWater);
  gauge('helix_in_flight_batches', 'Batches inside a detector now.', (m) => m.inFlight);
  gauge('helix_ingestion_rate_reads_per_second', 'Reads per second taken from the producer.', (m) => m.ingestionRate);
  gauge('helix_processing_rate_reads_per_second', 'Reads per second analysed.', (m) => m.processingRate);
  gauge('helix_sink_lag_rows', 'Rows produced but not yet stored.', (m) => m.sinkLag);
  gauge(
    'helix_run_variants_confirmed',
    'Variants confirmed so far by the current (or last) run.',
    (m) => m.variantsConfirmed,
  );
  gauge('helix_batch_latency_p50_seconds', 'Median queue-to-analysed latency of recent batches.', (m) =>
    m.latencyP50Ms === undefined ? undefined : m.latencyP50Ms / 1_000,
  );
  gauge('helix_batch_latency_p99_seconds', '99th percentile queue-to-analysed latency of recent batches.', (m) =>
    m.latencyP99Ms === undefined ? undefined : m.latencyP99Ms / 1_000,
  );
  gauge('helix_reads_mapped_ratio', "Fraction of the live run's analysed reads that mapped.", (m) =>
    m.readsAnalysed > 0 ? m.mappedReads / m.readsAnalysed : undefined,
  );
  gauge(
    'helix_reads_properly_paired_ratio',
    "Fraction of the live run's analysed reads placed in proper pairs.",
    (m) => (m.readsAnalysed > 0 ? m.properlyPairedReads / m.readsAnalysed : undefined),
  );
  gauge('helix_mean_depth', "Mean depth of the live run's reads over the whole reference.", (m) => m.meanDepth);
  gauge('helix_breadth_1x_ratio', 'Fraction of reference positions covered by at least one read.', (m) => m.breadth1x);
  gauge(
    'helix_breadth_10x_ratio',
    'Fraction of reference positions covered by at least ten reads.',
    (m) => m.breadth10x,
  );

  const counter = (name: string, help: string) => new Counter({ name, help, registers: [registry] });
  const progress = {
    readsProduced: counter('helix_reads_produced_total', 'Reads taken from producers.'),
    readsAnalysed: counter('helix_reads_analysed_total', 'Reads analysed.'),
    mappedReads: counter('helix_reads_mapped_total', 'Reads analysed that mapped to the reference.'),
    batchesAnalysed: counter('helix_batches_analysed_total', 'Batches analysed.'),
    variantsConfirmed: counter('helix_variants_confirmed_total', 'Variants confirmed.'),
    throttleEvents: counter('helix_throttle_events_total', 'Times a producer was throttled.'),
  };
  const runsStarted = counter('helix_runs_started_total', 'Runs started.');

  const graphqlDuration = new Histogram({
    name: 'helix_graphql_request_duration_seconds',
    help: 'GraphQL over HTTP: from request to response headers (for SSE, until the stream starts).',
    labelNames: ['operation_type', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const hits = counter('helix_response_cache_hits_total', 'Queries answered from the response cache.');
  const misses = counter('helix_response_cache_misses_total', 'Queries looked up in the response cache and executed.');
  new Gauge({
    name: 'helix_response_cache_entries',
    help: 'Answers held by the response cache.',
    registers: [registry],
    collect() {
      this.set(sources.cacheEntries());
    },
  });
  new Gauge({
    name: 'helix_database_ready',
    help: '1 while the database answers with its migrations applied (as /ready reports), 0 otherwise.',
    registers: [registry],
    async collect() {
      this.set((await sources.databaseReady()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'helix_subscribers',
    help: 'Subscriptions open (graphql-ws and SSE).',
    registers: [registry],
    collect() {
      this.set(sources.subscriptions.subscribers);
    },
  });
  new Gauge({
    name: 'helix_subscription_executions',
    help: 'Distinct subscription executions (each shared by all its subscribers).',
    registers: [registry],
    collect() {
      this.set(sources.subscriptions.executions);
    },
  });
  new Gauge({
    name: 'helix_websocket_connections',
    help: 'graphql-ws sockets open.',
    registers: [registry],
    collect() {
      this.set(sources.webSockets());
    },
  });
  const subscriptionDrops = new Counter({
    name: 'helix_subscription_events_dropped_total',
    help: 'Events not sent to a subscriber that was not reading (behind), and sockets closed for it (closed-slow).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });

  let following: AsyncIterator<MetricsEvent> | undefined;
  const previous: { runId: string | undefined; values: Record<keyof typeof progress, number> } = {
    runId: undefined,
    values: {
      readsProduced: 0,
      readsAnalysed: 0,
      mappedReads: 0,
      batchesAnalysed: 0,
      variantsConfirmed: 0,
      throttleEvents: 0,
    },
  };
  const observe = (event: MetricsEvent) => {
    if (!event.runId) return;
    if (event.runId !== previous.runId) {
      previous.runId = event.runId;
      for (const key of Object.keys(progress) as (keyof typeof progress)[]) previous.values[key] = 0;
      runsStarted.inc();
    }
    for (const key of Object.keys(progress) as (keyof typeof progress)[]) {
      const delta = event[key] - previous.values[key];
      if (delta > 0) progress[key].inc(delta);
      previous.values[key] = Math.max(previous.values[key], event[key]);
    }
  };

  const deadLetters = new Counter({
    name: 'helix_batches_dead_lettered_total',
    help: "Batches of this replica's runs that detector workers moved to the dead-letter stream.",
    registers: [registry],
  });
  const mutationsOfConcernDetected = new Counter({
    name: 'helix_mutations_of_concern_detected_total',
    help: "Alarms of this replica's runs that matched a mutation of concern, by its gene and change.",
    labelNames: ['gene', 'amino_acid_change'] as const,
    registers: [registry],
  });
  return {
    registry,
    graphqlDuration,
    deadLetters,
    mutationsOfConcernDetected,
    cache: { hit: () => hits.inc(), miss: () => misses.inc() },
    subscriptionDrops,
    follow(pubsub) {
      const events = pubsub.subscribe('metrics')[Symbol.asyncIterator]();
      following = events;
      void (async () => {
        for (let next = await events.next(); !next.done; next = await events.next()) observe(next.value);
      })();
    },
    followInterpretation(source) {
      const counted = (name: string, help: string, read: (metrics: InterpretationMetrics) => number) =>
        scrapedCounter(registry, name, help, () => read(source.metrics()));
      new Counter({
        name: 'helix_interpretations_total',
        help: 'Interpretations stored by this process, by source.',
        labelNames: ['source'] as const,
        registers: [registry],
        collect() {
          const metrics = source.metrics();
          this.reset();
          this.inc({ source: 'rules' }, metrics.interpretedByRules);
          this.inc({ source: 'model' }, metrics.interpretedByModel);
        },
      });
      counted('helix_interpretation_requests_total', 'Model requests sent.', (m) => m.requests);
      counted('helix_interpretation_failures_total', 'Model requests that failed after retries.', (m) => m.failures);
      counted(
        'helix_interpretation_invalid_answers_total',
        'Model answers rejected as invalid.',
        (m) => m.invalidAnswers,
      );
      new Gauge({
        name: 'helix_interpretations_pending',
        help: 'Confirmed variants whose interpretation is still pending.',
        registers: [registry],
        collect() {
          this.set(source.metrics().pending);
        },
      });
      new Gauge({
        name: 'helix_interpretation_breaker_open',
        help: '1 while the circuit breaker in front of the model is open.',
        registers: [registry],
        collect() {
          this.set(source.metrics().breakerState === 'open' ? 1 : 0);
        },
      });
    },
    close() {
      void following?.return?.();
    },
  };
}
