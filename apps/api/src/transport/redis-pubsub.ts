import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { Redis } from 'ioredis';

/** Fields that travel as ISO strings and are Dates again on arrival. */
const DATE_FIELDS = new Set(['at', 'seenAt']);

const serializer = {
  stringify: (value: unknown) => JSON.stringify(value),
  parse: (text: string): unknown =>
    JSON.parse(text, (key, value) => (DATE_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value)),
};

/** The event target the pubsub publishes into and subscribes through. */
export type RedisEventTarget = ReturnType<typeof createRedisEventTarget<CustomEvent>>;

/**
 * An event target over Redis pub/sub for the process's pubsub: what one replica publishes, every
 * replica's subscribers receive. Channels carry `prefix`, so deployments sharing a Redis server
 * stay apart; dates survive the trip as dates.
 */
export function createPrefixedRedisEventTarget(options: {
  publisher: Redis;
  subscriber: Redis;
  prefix: string;
}): RedisEventTarget {
  const inner = createRedisEventTarget<CustomEvent>({
    publishClient: options.publisher,
    subscribeClient: options.subscriber,
    serializer,
  });
  const channel = (topic: string) => `${options.prefix}${topic}`;
  return {
    addEventListener: (topic, listener) => inner.addEventListener(channel(topic), listener),
    removeEventListener: (topic, listener) => inner.removeEventListener(channel(topic), listener),
    dispatchEvent: (event) => inner.dispatchEvent(new CustomEvent(channel(event.type), { detail: event.detail })),
  };
}
