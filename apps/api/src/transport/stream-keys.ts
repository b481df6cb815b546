/**
 * Names of everything Helix keeps in Redis. Keys live in the database the URL selects; pub/sub
 * channels are global to a Redis server, so they carry the database number too, and two
 * deployments on different databases of one server never hear each other.
 */
export interface StreamKeys {
  /** The stream of batches waiting for a detector worker. */
  batches: string;
  /** The consumer group every worker reads `batches` through. */
  group: string;
  /** Results (evidence) of analysed batches, read by the run's owner. */
  results: string;
  /** Batches delivered too many times, kept for inspection. */
  deadLetters: string;
  /** The lease that makes one replica the producer of the current run. */
  lease: string;
  /** What a worker needs to analyse a run's batches (config, reference). */
  runSpec(runId: string): string;
  /** Prefix of the pub/sub channels of subscriptions' events. */
  eventChannelPrefix: string;
  /** The pub/sub channel on which a replica takes pipeline commands. */
  controlChannel(replicaId: string): string;
}

/** The keys of the deployment on Redis database `database`. */
export function streamKeys(database = 0): StreamKeys {
  return {
    batches: 'helix:batches',
    group: 'detectors',
    results: 'helix:results',
    deadLetters: 'helix:batches:dead',
    lease: 'helix:pipeline:lease',
    runSpec: (runId) => `helix:run:${runId}`,
    eventChannelPrefix: `helix:${database}:events:`,
    controlChannel: (replicaId) => `helix:${database}:control:${replicaId}`,
  };
}
