import { Client, cacheExchange, type Exchange, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core';
import { never } from 'wonka';
import type { ConnectionStore } from '../connection';
import { ErrorCode, TRANSIENT_CODES } from './codes';
import { createSubscriptionTransport } from './transport';

/** Where the dashboard's own proxies live (same origin as the page). */
export const GRAPHQL_PATH = '/api/graphql';
export const STREAM_PATH = '/api/graphql/stream';

/** Where the page goes when the key is rejected: the session is cleared and sign-in says why. */
export const SESSION_EXPIRED_PATH = '/api/session/end?reason=expired';

let leaving = false;
/** Leaves for sign-in once, however many requests notice the rejected key. */
export function goToSignIn() {
  if (leaving || typeof window === 'undefined') return;
  leaving = true;
  window.location.assign(SESSION_EXPIRED_PATH);
}

/**
 * The urql client of the browser: queries and mutations over `/api/graphql`, subscriptions over
 * one event stream; results report to the connection store, and a rejected key sends the page
 * back to sign-in.
 */
export function createBrowserClient(store: ConnectionStore): Client {
  const transport = createSubscriptionTransport(STREAM_PATH, store, { unauthenticated: goToSignIn });
  const watch = mapExchange({
    onResult(result) {
      const errors = result.error?.graphQLErrors ?? [];
      if (errors.some((error) => error.extensions?.code === ErrorCode.Unauthenticated)) goToSignIn();
      const response = result.error?.response as Response | undefined;
      if (response?.status === 401) goToSignIn();
      const down = errors.find((error) => TRANSIENT_CODES.includes(String(error.extensions?.code)));
      if (down) store.apiUnreachable(down.message);
      else if (result.data) store.data();
      else if (result.error?.networkError && !result.error.graphQLErrors.length) {
        store.apiUnreachable('The dashboard server is not reachable.');
      }
      return result;
    },
  });
  return new Client({
    url: GRAPHQL_PATH,
    requestPolicy: 'cache-and-network',
    // Always POST: the proxy accepts only POST, which also keeps queries out of server logs.
    preferGetMethod: false,
    fetchOptions: { credentials: 'same-origin' },
    exchanges: [
      watch,
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: transport.subscribe({ ...request, query: request.query ?? '' }, sink),
          }),
        }),
      }),
    ],
  });
}

/** Never answers: client components render their loading state on the server, as on first paint. */
const silentExchange: Exchange = () => () => never;

/** The client used while rendering on the server, where the browser's proxies do not exist. */
export function createServerPlaceholderClient(): Client {
  return new Client({ url: GRAPHQL_PATH, exchanges: [silentExchange] });
}
