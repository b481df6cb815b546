import {
  type ExecutionResult,
  GraphQLError,
  GraphQLInt,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
} from 'graphql';
import { createPubSub } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { SharedSubscriptions } from '../../src/pubsub/shared-subscriptions.js';

/** A tiny schema whose resolver counts how often it executes. */
function counterSchema() {
  const pubsub = createPubSub<{ tick: [number] }>();
  const calls = { resolve: 0, subscribe: 0 };
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString, resolve: () => 'ok' } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        tick: {
          type: GraphQLInt,
          args: { offset: { type: GraphQLInt } },
          subscribe: (_root, _args, context: { role?: string }) => {
            calls.subscribe += 1;
            if (!context.role) throw new GraphQLError('Authentication required');
            return pubsub.subscribe('tick');
          },
          resolve: (tick: number, args: { offset?: number }) => {
            calls.resolve += 1;
            return tick + (args.offset ?? 0);
          },
        },
        status: {
          type: GraphQLInt,
          subscribe: () => pubsub.subscribe('tick'),
          resolve: (tick: number) => tick,
        },
      },
    }),
  });
  return { schema, pubsub, calls };
}

const args = (schema: GraphQLSchema, query: string, context: object = { role: 'viewer' }) => ({
  schema,
  document: parse(query),
  contextValue: context,
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('shared subscriptions', () => {
  it('should execute an event once for every subscriber of the same operation', async () => {
    const { schema, pubsub, calls } = counterSchema();
    const shared = new SharedSubscriptions();
    const streams = await Promise.all(
      Array.from({ length: 50 }, () => shared.subscribe(args(schema, 'subscription { tick }'))),
    );
    expect(shared.executions).toBe(1);
    expect(shared.subscribers).toBe(50);
    const firsts = streams.map((stream) => (stream as AsyncGenerator<ExecutionResult>).next());
    pubsub.publish('tick', 7);
    const results = await Promise.all(firsts);
    expect(results.every((result) => (result.value as ExecutionResult).data?.tick === 7)).toBe(true);
    expect(calls.resolve).toBe(1);
    expect(calls.subscribe).toBe(1);
  });

  it('should execute different variables or roles separately', async () => {
    const { schema } = counterSchema();
    const shared = new SharedSubscriptions({ partition: (context) => (context as { role: string }).role });
    await shared.subscribe(args(schema, 'subscription { tick(offset: 1) }'));
    await shared.subscribe(args(schema, 'subscription { tick(offset: 2) }'));
    await shared.subscribe(args(schema, 'subscription { tick(offset: 2) }', { role: 'operator' }));
    await shared.subscribe(args(schema, 'subscription { tick(offset: 2) }', { role: 'operator' }));
    expect(shared.executions).toBe(3);
  });

  it('should end the shared execution when its last subscriber leaves', async () => {
    const { schema } = counterSchema();
    const shared = new SharedSubscriptions();
    const first = (await shared.subscribe(args(schema, 'subscription { tick }'))) as AsyncGenerator<ExecutionResult>;
    const second = (await shared.subscribe(args(schema, 'subscription { tick }'))) as AsyncGenerator<ExecutionResult>;
    await first.return(undefined);
    expect(shared.executions).toBe(1);
    await second.return(undefined);
    expect(shared.executions).toBe(0);
    expect(await second.next()).toEqual({ done: true, value: undefined });
  });

  it('should answer the errors that prevent subscribing instead of a stream', async () => {
    const { schema } = counterSchema();
    const shared = new SharedSubscriptions();
    const result = await shared.subscribe(args(schema, 'subscription { tick }', {}));
    expect(result).toMatchObject({ errors: [{ message: 'Authentication required' }] });
    expect(shared.executions).toBe(0);
  });

  it('should keep only the newest droppable results for a subscriber that does not pull, dropping the oldest', async () => {
    const { schema, pubsub } = counterSchema();
    const drops: string[] = [];
    const shared = new SharedSubscriptions({
      bufferSize: 4,
      droppable: new Set(['tick']),
      onDrop: (reason) => drops.push(reason),
    });
    const idle = (await shared.subscribe(args(schema, 'subscription { tick }'))) as AsyncGenerator<ExecutionResult>;
    const active = (await shared.subscribe(args(schema, 'subscription { tick }'))) as AsyncGenerator<ExecutionResult>;
    const received: number[] = [];
    void (async () => {
      for await (const result of active) received.push(result.data?.tick as number);
    })();
    for (let tick = 1; tick <= 100; tick += 1) {
      pubsub.publish('tick', tick);
      await flush();
    }
    expect(received).toHaveLength(100);
    const kept: number[] = [];
    for (let index = 0; index < 4; index += 1) kept.push((await idle.next()).value?.data?.tick as number);
    expect(kept).toEqual([97, 98, 99, 100]);
    expect(drops).toHaveLength(96);
    await idle.return(undefined);
    await active.return(undefined);
  });

  it('should give a late subscriber the latest result of a replayed field at once', async () => {
    const { schema, pubsub } = counterSchema();
    const shared = new SharedSubscriptions({ replayLatest: new Set(['status']) });
    const early = (await shared.subscribe(args(schema, 'subscription { status }'))) as AsyncGenerator<ExecutionResult>;
    const first = early.next();
    pubsub.publish('tick', 3);
    await first;
    const late = (await shared.subscribe(args(schema, 'subscription { status }'))) as AsyncGenerator<ExecutionResult>;
    expect((await late.next()).value).toEqual({ data: { status: 3 } });
  });
});
