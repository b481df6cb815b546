import { createPubSub, type PubSub } from 'graphql-yoga';
import type { MutationDetected, PipelineState, PipelineStatusChange } from '../pipeline/events.js';
import type { PipelineMetrics } from '../pipeline/metrics.js';
import type { RedisEventTarget } from '../transport/redis-pubsub.js';

/** One tick of the live metrics, with the state and run it belongs to. */
export interface MetricsEvent extends PipelineMetrics {
  state: PipelineState;
  runId: string | undefined;
}

/** The typed event map of the process's pubsub. */
export type HelixEvents = {
  metrics: [MetricsEvent];
  mutationDetected: [MutationDetected];
  pipelineStatus: [PipelineStatusChange];
  /** A run's stored data changed (cached answers about it must go); shared by replicas. */
  runChanged: [runId: string];
  /** A stored key was revoked (by its id): every replica drops it and closes its subscriptions. */
  apiKeyRevoked: [keyId: string];
};

/** The process's one pubsub: the pipeline publishes, subscriptions and exporters listen. */
export type HelixPubSub = PubSub<HelixEvents>;

/** Creates the pubsub: in-process, or across replicas through a Redis event target. */
export function createHelixPubSub(eventTarget?: RedisEventTarget): HelixPubSub {
  // The Redis target carries any topic; the typed map above is what this process publishes.
  return createPubSub<HelixEvents>(eventTarget ? { eventTarget: eventTarget as never } : {});
}
