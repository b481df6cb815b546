/**
 * A lean graphql-ws (`graphql-transport-ws`) subscriber for load generation: one socket, one
 * subscription, every message parsed and checked (its type, its subscription id), without the
 * reconnection, validation and sink machinery of graphql-ws's `createClient`. With thousands of
 * subscribers on the server's own cores, the client's cost per message is part of the lag that is
 * measured, so the load generator should spend as little as a client can.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { ExecutionResult } from 'graphql';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType } from 'graphql-ws';
import WebSocket from 'ws';

/** A subscription over its own socket. */
export interface LeanSubscription {
  /** Completes the subscription and closes the socket. */
  dispose(): Promise<void>;
}

/** Subscribes to `query` at `url` with `authorization` in `connection_init`; `next` gets each payload. */
export function leanSubscribe(
  url: string,
  authorization: string,
  query: string,
  next: (payload: ExecutionResult) => void,
  error: (reason: string) => void,
): LeanSubscription {
  const id = randomUUID();
  const socket = new WebSocket(url, GRAPHQL_TRANSPORT_WS_PROTOCOL);
  let disposed = false;
  socket.on('open', () => {
    socket.send(JSON.stringify({ type: MessageType.ConnectionInit, payload: { authorization } }));
  });
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as { type: string; id?: string; payload?: unknown };
    if (message.type === MessageType.Next && message.id === id) {
      next(message.payload as ExecutionResult);
    } else if (message.type === MessageType.ConnectionAck) {
      socket.send(JSON.stringify({ id, type: MessageType.Subscribe, payload: { query } }));
    } else if (message.type === MessageType.Ping) {
      socket.send(JSON.stringify({ type: MessageType.Pong }));
    } else if (message.type !== MessageType.Pong) {
      error(`unexpected message: ${data.toString('utf8').slice(0, 200)}`);
    }
  });
  socket.on('error', (cause) => error(cause.message));
  socket.on('close', (code, reason) => {
    if (!disposed) error(`socket closed: ${code} ${reason.toString()}`);
  });
  return {
    async dispose() {
      disposed = true;
      if (socket.readyState === WebSocket.CLOSED) return;
      const closed = once(socket, 'close');
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id, type: MessageType.Complete }));
      socket.close(1000, 'done');
      await closed;
    },
  };
}
