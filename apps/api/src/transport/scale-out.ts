import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { DetectorsFactory } from '../pipeline/detector.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { HelixPubSub } from '../pubsub/events.js';
import { createHelixPubSub } from '../pubsub/events.js';
import { ClusterPipeline } from './cluster-pipeline.js';
import { ControlBus } from './control-bus.js';
import { PipelineLease } from './pipeline-lease.js';
import { connectRedis, duplicateConnection, redactRedisUrl, redisDatabaseIndex } from './redis-connection.js';
import { createPrefixedRedisEventTarget } from './redis-pubsub.js';
import { streamDetectors } from './stream-detectors.js';
import { type StreamKeys, streamKeys } from './stream-keys.js';

/** A replica's connections to the cluster through Redis. */
export interface ScaleOut {
  /** The pubsub whose events every replica's subscribers receive. */
  pubsub: HelixPubSub;
  /** Runs' detectors as worker processes behind the batch stream. */
  detectors(onDeadLetter: (sequence: number, reason: string) => void): DetectorsFactory;
  /** The cluster's view of `local`: one producer per run, commands forwarded to it. */
  cluster(local: Pipeline): Promise<ClusterPipeline>;
  close(): Promise<void>;
}

/**
 * Connects a `helix serve` replica to Redis (exits the start-up with a clear error if Redis does
 * not answer) and warns when Redis keeps no data across a restart.
 */
export async function connectScaleOut(url: string, logger: Logger): Promise<ScaleOut> {
  const replicaId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const redis = await connectRedis(url, { name: `helix-api-${replicaId}`, logger });
  const subscriber = duplicateConnection(redis, `helix-api-events-${replicaId}`);
  const keys: StreamKeys = streamKeys(redisDatabaseIndex(url));
  await warnWithoutPersistence(redis, url, logger);
  const pubsub = createHelixPubSub(
    createPrefixedRedisEventTarget({ publisher: redis, subscriber, prefix: keys.eventChannelPrefix }),
  );
  let cluster: ClusterPipeline | undefined;
  let control: ControlBus | undefined;
  logger.info({ redis: redactRedisUrl(url), replicaId }, 'scale-out on Redis: batches go to helix worker processes');
  return {
    pubsub,
    detectors: (onDeadLetter) => streamDetectors({ redis, keys, onDeadLetter }),
    async cluster(local) {
      const lease = new PipelineLease({ redis, key: keys.lease, replicaId, logger });
      control = new ControlBus({
        publisher: redis,
        subscriber,
        channelOf: keys.controlChannel,
        replicaId,
        logger,
        handle: (command) => (cluster as ClusterPipeline).handle(command),
      });
      cluster = new ClusterPipeline({ local, lease, control, pubsub });
      await control.start();
      return cluster;
    },
    async close() {
      cluster?.close();
      await control?.close();
      subscriber.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

async function warnWithoutPersistence(redis: Redis, url: string, logger: Logger): Promise<void> {
  try {
    const [, appendOnly] = (await redis.config('GET', 'appendonly')) as string[];
    if (appendOnly !== 'yes') {
      logger.warn(
        { redis: redactRedisUrl(url) },
        'Redis runs without appendonly: if it crashes, batches queued since its last snapshot are lost',
      );
    }
  } catch {
    // Managed Redis services often refuse CONFIG; their persistence is theirs to document.
  }
}
