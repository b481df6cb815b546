import { type ExecutionResult, GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { WebSocket } from 'ws';
import { atExpiry } from '../auth/expiry.js';
import { HelixCloseCode } from '../pubsub/close-codes.js';
import type { Context } from '../schema/builder.js';
import { ErrorCode } from '../schema/errors.js';
import type { CallerSessions } from './caller-sessions.js';

const refusal = (message: string): ExecutionResult => ({
  errors: [new GraphQLError(message, { extensions: { code: ErrorCode.Unauthenticated } })],
});
const expired = refusal('The token has expired; subscribe again with a fresh one.');
const revoked = refusal('The key has been revoked.');

/** Arms whatever ends a stream: calls `end` with the last result to deliver; returns a function that disarms it. */
export type StreamEnding = (end: (last: ExecutionResult) => void) => () => void;

/**
 * A stream that passes `source` on until `ending` fires, then delivers its last result (an
 * `UNAUTHENTICATED` error) and ends, unsubscribing from `source`. Not a generator: `return()` must
 * end it at once even while it waits for the next event.
 */
export function untilEnded(
  source: AsyncIterable<ExecutionResult>,
  ending: StreamEnding,
): AsyncGenerator<ExecutionResult> {
  const upstream = source[Symbol.asyncIterator]();
  let ended = false;
  let cancel: () => void = () => {};
  const last = new Promise<{ last: ExecutionResult }>((resolve) => {
    cancel = ending((result) => resolve({ last: result }));
  });
  const finish = async (): Promise<IteratorReturnResult<undefined>> => {
    if (!ended) {
      ended = true;
      cancel();
      await upstream.return?.();
    }
    return { done: true, value: undefined };
  };
  const stream: AsyncGenerator<ExecutionResult> = {
    next: async () => {
      if (ended) return { done: true, value: undefined };
      const next = await Promise.race([upstream.next(), last]);
      if ('last' in next) {
        await finish();
        return { done: false, value: next.last };
      }
      if (next.done) {
        ended = true;
        cancel();
      }
      return next;
    },
    return: finish,
    throw: async (error) => {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}

/**
 * Closes `socket` with {@link HelixCloseCode.Unauthenticated} when `callerId`'s credential is
 * revoked, ending every subscription it carries.
 */
export function closeOnRevocation(socket: WebSocket, callerId: string, sessions: CallerSessions): void {
  const release = sessions.hold(callerId, () =>
    socket.close(HelixCloseCode.Unauthenticated, 'UNAUTHENTICATED: the key has been revoked'),
  );
  socket.once('close', release);
}

/**
 * Ends HTTP (SSE) subscriptions when the caller's token expires or its key is revoked (through
 * `sessions`). graphql-ws sockets need no help: the whole socket is closed then (graphql-ws.ts).
 */
export function useCredentialExpiry(sessions: CallerSessions): Plugin<Context> {
  return {
    onSubscribe({ args }) {
      const { caller, delivery } = args.contextValue as Context;
      if (!caller || delivery) return;
      const ending: StreamEnding = (end) => {
        const disarmExpiry = caller.expiresAt === undefined ? () => {} : atExpiry(caller.expiresAt, () => end(expired));
        const release = sessions.hold(caller.id, () => end(revoked));
        return () => {
          disarmExpiry();
          release();
        };
      };
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(untilEnded(result as AsyncIterable<ExecutionResult>, ending));
        },
      };
    },
  };
}
