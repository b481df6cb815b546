import { type ExecutionResult, GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { atExpiry } from '../auth/expiry.js';
import type { Context } from '../schema/builder.js';
import { ErrorCode } from '../schema/errors.js';

const expired: ExecutionResult = {
  errors: [
    new GraphQLError('The token has expired; subscribe again with a fresh one.', {
      extensions: { code: ErrorCode.Unauthenticated },
    }),
  ],
};

/**
 * A stream that passes `source` on until `expiresAt`, then delivers one `UNAUTHENTICATED` error
 * and ends (unsubscribing from `source`). Not a generator: `return()` must end it at once even
 * while it waits for the next event.
 */
export function untilExpiry(
  source: AsyncIterable<ExecutionResult>,
  expiresAt: number,
): AsyncGenerator<ExecutionResult> {
  const upstream = source[Symbol.asyncIterator]();
  let ended = false;
  let cancel: () => void = () => {};
  const expiry = new Promise<'expired'>((resolve) => {
    cancel = atExpiry(expiresAt, () => resolve('expired'));
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
      const next = await Promise.race([upstream.next(), expiry]);
      if (next === 'expired') {
        await finish();
        return { done: false, value: expired };
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
 * Ends HTTP (SSE) subscriptions when the caller's token expires. graphql-ws sockets need no help:
 * the whole socket is closed at expiry (graphql-ws.ts).
 */
export function useCredentialExpiry(): Plugin<Context> {
  return {
    onSubscribe({ args }) {
      const { caller, delivery } = args.contextValue as Context;
      const expiresAt = caller?.expiresAt;
      if (expiresAt === undefined || delivery) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(untilExpiry(result as AsyncIterable<ExecutionResult>, expiresAt));
        },
      };
    },
  };
}
