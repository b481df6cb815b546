import 'server-only';
import { randomUUID } from 'node:crypto';
import { createHandler } from 'graphql-sse/lib/use/fetch';
import { ErrorCode, errorResponse, type GraphQLResponseJson } from '@/lib/graphql/codes';
import { sessionDigest, sessionFromCookieHeader } from './session';
import { type GraphQLRequestBody, subscribeUpstream } from './upstream';

/** The header through which graphql-sse's single-connection client names its stream. */
const TOKEN_HEADER = 'x-graphql-event-stream-token';

type HandlerResponse = readonly [
  string | null,
  { status: number; statusText: string; headers?: Record<string, string> },
];

const unauthorized = (message: string): HandlerResponse => [
  JSON.stringify(errorResponse(message, ErrorCode.Unauthenticated)),
  { status: 401, statusText: 'Unauthorized', headers: { 'content-type': 'application/json; charset=utf-8' } },
];

/**
 * Wraps an async generator so that `return()` aborts its work at once, even while it waits for
 * the API (an async generator's own `return()` waits until its pending `await` settles).
 */
export function abortable<T>(start: (signal: AbortSignal) => AsyncGenerator<T>): AsyncGenerator<T> {
  const controller = new AbortController();
  const inner = start(controller.signal);
  const wrapper: AsyncGenerator<T> = {
    next: (...args) => inner.next(...args),
    return: (value) => {
      controller.abort();
      return inner.return(value as never);
    },
    throw: (error) => {
      controller.abort();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]: () => wrapper,
  };
  return wrapper;
}

/**
 * The browser's one event stream for all its subscriptions (graphql-sse "single connection
 * mode": PUT reserves a stream, GET opens it, POST adds an operation, DELETE ends one). Each
 * operation is forwarded to the API over its own server-side SSE request carrying the session's
 * key. One stream per tab keeps browsers far below their six-connections-per-host limit, however
 * many subscriptions a page holds.
 *
 * Stream tokens begin with a digest of the session's key, so a token is useless to anyone not
 * holding the same session cookie.
 */
export const streamHandler = createHandler({
  authenticate(request) {
    const session = sessionFromCookieHeader(request.headers.get('cookie'));
    if (!session) return unauthorized('Sign in first.');
    const digest = sessionDigest(session);
    if (request.method === 'PUT') return `${digest}.${randomUUID()}`;
    const token = request.headers.get(TOKEN_HEADER) ?? new URL(request.url).searchParams.get('token');
    if (!token) return null; // distinct-connection mode: the operation streams in this response
    if (!token.startsWith(`${digest}.`)) return unauthorized('This event stream belongs to another session.');
    return token;
  },
  onSubscribe(request, params) {
    const session = sessionFromCookieHeader(request.headers.get('cookie'));
    if (!session) return unauthorized('Sign in first.');
    return abortable<GraphQLResponseJson>((signal) =>
      subscribeUpstream(params as GraphQLRequestBody, session.key, signal),
    ) as AsyncGenerator<never>;
  },
});
