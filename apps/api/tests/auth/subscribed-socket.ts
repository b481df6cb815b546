import { createClient } from 'graphql-ws';
import { WebSocket } from 'ws';

/** Opens a graphql-ws client at `wsUrl` with `key`, subscribed to queue metrics; resolves with how its socket closes. */
export function subscribedSocket(wsUrl: string, key: string) {
  let closed: (event: { code: number; reason: string; at: number }) => void = () => {};
  const closedWith = new Promise<{ code: number; reason: string; at: number }>((resolve) => {
    closed = resolve;
  });
  let acknowledged: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    acknowledged = resolve;
  });
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${key}` },
    on: {
      connected: () => acknowledged(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closed({ code, reason, at: Date.now() });
      },
    },
  });
  client.subscribe(
    { query: 'subscription { queueMetrics { queueDepth } }' },
    { next: () => undefined, error: () => undefined, complete: () => undefined },
  );
  return { client, connected, closedWith };
}
