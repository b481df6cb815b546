import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Role } from '../env.js';
import type { SocketDelivery } from '../pubsub/socket-subscriber.js';

/** What the transports add to yoga's initial context. */
export interface ServerContext {
  /** Node's request (HTTP and the graphql-ws upgrade request). */
  req?: IncomingMessage;
  /** graphql-ws: the role checked once in `connection_init`. */
  role?: Role | undefined;
  /** graphql-ws: the caller id fixed at connection. */
  callerId?: string;
  /** graphql-ws: where shared subscription results are written. */
  delivery?: SocketDelivery;
}

/** Identifies a caller for per-caller limits without keeping its key: a digest, or the address. */
export function callerIdOf(key: string | undefined, remoteAddress: string | undefined): string {
  if (key) return `key:${createHash('sha256').update(key).digest('base64url').slice(0, 16)}`;
  return `address:${remoteAddress ?? 'unknown'}`;
}
