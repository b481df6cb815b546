import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { type Authenticator, type Caller, UnauthenticatedError } from '../auth/caller.js';
import type { SocketDelivery } from '../pubsub/socket-subscriber.js';
import { ErrorCode } from '../schema/errors.js';

/** What the transports add to yoga's initial context. */
export interface ServerContext {
  /** Node's request (HTTP and the graphql-ws upgrade request). */
  req?: IncomingMessage;
  /** graphql-ws: the caller checked once in `connection_init`. */
  caller?: Caller;
  /** graphql-ws: where shared subscription results are written. */
  delivery?: SocketDelivery;
}

/** Identifies a caller for per-caller limits: its id (never its credential), or the address. */
export function callerIdOf(caller: Caller | undefined, remoteAddress: string | undefined): string {
  return caller?.id ?? `address:${remoteAddress ?? 'unknown'}`;
}

/**
 * The caller of an HTTP request (queries, mutations and SSE subscriptions), or undefined for an
 * anonymous one; a refused credential becomes a 401 `UNAUTHENTICATED` error.
 */
export async function authenticateRequest(
  authenticator: Authenticator,
  authorization: string | null,
): Promise<Caller | undefined> {
  try {
    return await authenticator.authenticate(authorization);
  } catch (error) {
    if (!(error instanceof UnauthenticatedError)) throw error;
    throw new GraphQLError(error.message, {
      extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } },
    });
  }
}
