import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ExecutionArgs,
  type ExecutionResult,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType, parseMessage, stringifyMessage } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { createPubSub } from 'graphql-yoga';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { FanOutQueue, fanOut } from '../../src/pubsub/fan-out.js';
import { SharedSubscriptions } from '../../src/pubsub/shared-subscriptions.js';
import type { SocketDelivery } from '../../src/pubsub/socket-subscriber.js';
import { SharedResult, type Subscriber } from '../../src/pubsub/subscriber.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subscriptions to `tick` (a pubsub topic) and `count` (1, 2, 3, then the stream ends). */
function schema() {
  const pubsub = createPubSub<{ tick: [number] }>();
  const built = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString, resolve: () => 'ok' } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        tick: { type: GraphQLInt, subscribe: () => pubsub.subscribe('tick'), resolve: (tick: number) => tick },
        count: {
          type: GraphQLInt,
          subscribe: async function* () {
            // Time for every subscriber of the socket to join the one execution.
            await sleep(100);
            for (let value = 1; value <= 3; value += 1) yield value;
          },
          resolve: (value: number) => value,
        },
      },
    }),
  });
  return { schema: built, pubsub };
}

/** graphql-ws over a real socket, every subscription through `shared` (results written straight to the socket). */
async function graphqlWsServer(shared: SharedSubscriptions, built: GraphQLSchema) {
  const http: Server = createServer();
  const sockets = new WebSocketServer({ server: http });
  const server = useServer(
    {
      schema: built,
      subscribe: (args) => shared.subscribe(args as ExecutionArgs) as never,
      onSubscribe: (context, id, payload) => ({
        schema: built,
        document: parse(payload.query),
        contextValue: { delivery: { socket: context.extra.socket, id } satisfies SocketDelivery },
      }),
    },
    sockets,
  );
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`, GRAPHQL_TRANSPORT_WS_PROTOCOL);
  await once(client, 'open');
  const messages: ReturnType<typeof parseMessage>[] = [];
  client.on('message', (data: Buffer) => messages.push(parseMessage(data.toString('utf8'))));
  client.send(stringifyMessage({ type: MessageType.ConnectionInit }));
  await once(client, 'message');
  return {
    client,
    messages,
    /** What subscription `id` received: `next` values, then `complete`. */
    received: (id: string) =>
      messages
        .filter((message) => 'id' in message && message.id === id)
        .map((message) =>
          message.type === MessageType.Next ? (message.payload.data as Record<string, number>) : message.type,
        ),
    close: async () => {
      client.terminate();
      await server.dispose();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

describe('fan-out in slices', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('should hand a result to every subscriber in order, letting the event loop run between slices', async () => {
    const order: number[] = [];
    let turnsBetween = 0;
    const subscribers: Subscriber[] = Array.from({ length: 1_000 }, (_, index) => ({
      deliver: () => {
        order.push(index);
        // Each delivery costs a little, as a socket write does.
        const until = performance.now() + 0.01;
        while (performance.now() < until);
      },
      end: () => undefined,
    }));
    const counter = setInterval(() => {
      turnsBetween += 1;
    }, 0);
    await fanOut(new SharedResult({ data: { tick: 1 } }, '{"data":{"tick":1}}'), subscribers, { sliceMs: 1 });
    clearInterval(counter);
    expect(order).toEqual(subscribers.map((_, index) => index));
    // Timers ran while the fan-out was under way: it did not hold the loop for all 1,000.
    expect(turnsBetween).toBeGreaterThan(0);
  });

  it('should let a newer metrics result replace one still waiting for its fan-out, and queue other results', async () => {
    const result = (tick: number) => new SharedResult({ data: { tick } }, `{"data":{"tick":${tick}}}`);
    const received = (supersede: boolean) => {
      const seen: number[][] = Array.from({ length: 300 }, () => []);
      const subscribers: Subscriber[] = seen.map((log) => ({
        deliver: (shared) => log.push(shared.result.data?.tick as number),
        end: () => undefined,
      }));
      const queue = new FanOutQueue(supersede, { sliceMs: 0 });
      // The first fan-out is under way (it yields every 32 subscribers) as three more arrive.
      for (let tick = 1; tick <= 4; tick += 1) queue.push(result(tick), subscribers);
      return { seen, queue };
    };
    const superseding = received(true);
    expect(superseding.queue.waiting).toBe(1);
    await superseding.queue.idle();
    expect(new Set(superseding.seen.map((log) => log.join()))).toEqual(new Set(['1,4']));
    const queueing = received(false);
    expect(queueing.queue.waiting).toBe(3);
    await queueing.queue.idle();
    expect(new Set(queueing.seen.map((log) => log.join()))).toEqual(new Set(['1,2,3,4']));
  });

  it('should give every subscriber results in the order they were produced, then complete', async () => {
    const { schema: built } = schema();
    const shared = new SharedSubscriptions({
      delivery: (context) => (context as { delivery?: SocketDelivery } | undefined)?.delivery,
      fanOutSliceMs: 0,
    });
    const server = await graphqlWsServer(shared, built);
    close = server.close;
    const ids = Array.from({ length: 200 }, (_, index) => `count ${index}`);
    for (const id of ids) {
      server.client.send(
        stringifyMessage({ id, type: MessageType.Subscribe, payload: { query: 'subscription { count }' } }),
      );
    }
    for (let tries = 0; tries < 200 && server.received(ids.at(-1) as string).length < 4; tries += 1) await sleep(10);
    expect(shared.executions).toBe(0);
    for (const id of ids) {
      expect(server.received(id)).toEqual([{ count: 1 }, { count: 2 }, { count: 3 }, MessageType.Complete]);
    }
  });

  it('should write nothing more to a subscription that completes while a fan-out is under way', async () => {
    const { schema: built, pubsub } = schema();
    const shared = new SharedSubscriptions({
      delivery: (context) => (context as { delivery?: SocketDelivery } | undefined)?.delivery,
      fanOutSliceMs: 0,
    });
    const server = await graphqlWsServer(shared, built);
    close = server.close;
    const ids = Array.from({ length: 600 }, (_, index) => `tick ${index}`);
    for (const id of ids) {
      server.client.send(
        stringifyMessage({ id, type: MessageType.Subscribe, payload: { query: 'subscription { tick }' } }),
      );
    }
    for (let tries = 0; tries < 200 && shared.subscribers < ids.length; tries += 1) await sleep(10);
    expect(shared.subscribers).toBe(ids.length);
    // The fan-out starts, and serves its first slice, before the next turn; the last subscriber
    // leaves (as graphql-ws's `complete` from its client ends it) while the rest wait their turn.
    const iterators = (await Promise.all(
      Array.from({ length: 2 }, () => shared.subscribe({ schema: built, document: parse('subscription { tick }') })),
    )) as AsyncGenerator<ExecutionResult>[];
    const [early, late] = iterators as [AsyncGenerator<ExecutionResult>, AsyncGenerator<ExecutionResult>];
    const earlyFirst = early.next();
    pubsub.publish('tick', 1);
    await new Promise((resolve) => setImmediate(resolve));
    const lastId = ids.at(-1) as string;
    server.client.send(stringifyMessage({ id: lastId, type: MessageType.Complete }));
    await late.return(undefined);
    expect((await earlyFirst).value).toEqual({ data: { tick: 1 } });
    expect(await late.next()).toEqual({ done: true, value: undefined });
    for (let tries = 0; tries < 200 && server.received(ids.at(-2) as string).length < 1; tries += 1) await sleep(10);
    await sleep(50);
    for (const id of ids.slice(0, 32)) expect(server.received(id)).toEqual([{ tick: 1 }]);
    expect(server.received(ids.at(-2) as string)).toEqual([{ tick: 1 }]);
    expect(server.received(lastId)).toEqual([]);
    await early.return(undefined);
  });
});
