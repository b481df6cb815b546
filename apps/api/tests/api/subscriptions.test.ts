import { once } from 'node:events';
import { type Client, GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType, parseMessage, stringifyMessage } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HelixCloseCode } from '../../src/pubsub/close-codes.js';
import { EVENT_RUN_ID, metricsEvent, mutationDetectedEvent } from '../support/pipeline-events.js';
import { startTestServer, type TestServer, testKeys } from '../support/server.js';
import { sleep, subscribeSse, subscribeWs, wsClient } from './support.js';

/** RFC 6455's code for a connection that ended without a close frame (the server let go of it). */
const ABNORMAL_CLOSURE = 1006;

describe('live subscriptions', () => {
  let api: TestServer;
  const clients: Client[] = [];
  const client = () => {
    const created = wsClient(api);
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    api = await startTestServer({
      subscriberBuffers: { socketSoftLimitBytes: 64 * 1024, socketHardLimitBytes: 512 * 1024 },
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((created) => created.dispose()));
    await api?.close();
  });

  it('should execute one subscription once for every client that shares it, over graphql-ws and SSE', async () => {
    const query = 'subscription { queueMetrics(intervalMs: 500) { at state queueDepth } }';
    const socketSubscribers = Array.from({ length: 20 }, () =>
      subscribeWs<{ queueMetrics: { state: string } }>(client(), query),
    );
    const sseSubscribers = Array.from({ length: 2 }, () =>
      subscribeSse<{ queueMetrics: { state: string } }>(api.url, query),
    );
    await Promise.all([...socketSubscribers, ...sseSubscribers].map((subscriber) => subscriber.log.waitForCount(1)));
    expect(api.server.subscriptions.executions).toBe(1);
    expect(api.server.subscriptions.subscribers).toBe(22);
    for (const subscriber of [...socketSubscribers, ...sseSubscribers]) subscriber.stop();
    await sleep(200);
    expect(api.server.subscriptions.subscribers).toBe(0);
    expect(api.server.subscriptions.executions).toBe(0);
  });

  it('should deliver at most one snapshot per intervalMs, and a change of throttling at once', async () => {
    const { log, stop } = subscribeWs<{ queueMetrics: { throttled: boolean } }>(
      client(),
      'subscription { queueMetrics(intervalMs: 1000) { at state throttled } }',
    );
    await log.waitForCount(1);
    const start = log.events.length;
    for (let tick = 0; tick < 20; tick += 1) {
      api.pubsub.publish('metrics', metricsEvent());
      await sleep(100);
    }
    const regular = log.events.length - start;
    expect(regular).toBeGreaterThanOrEqual(1);
    expect(regular).toBeLessThanOrEqual(3);
    const before = log.events.length;
    api.pubsub.publish('metrics', metricsEvent({ state: 'THROTTLED', throttled: true }));
    const throttled = await log.waitFor((event) => event.data?.queueMetrics.throttled === true, 500, before);
    expect(throttled.data?.queueMetrics).toMatchObject({ state: 'THROTTLED', throttled: true });
    stop();
  });

  it('should refuse an intervalMs outside 100..60000, naming the argument', async () => {
    const { log } = subscribeWs(client(), 'subscription { queueMetrics(intervalMs: 5) { at } }');
    const refused = await log.waitFor((event) => Boolean(event.errors));
    expect(refused.errors?.[0]).toMatchObject({
      message: 'intervalMs must be between 100 and 60000',
      extensions: { field: 'intervalMs' },
    });
  });

  it('should start pipelineStatus with the current state, then report changes', async () => {
    const { log, stop } = subscribeWs<{ pipelineStatus: { state: string; runId: string | null } }>(
      client(),
      'subscription { pipelineStatus { state runId at } }',
    );
    const first = await log.waitForCount(1);
    expect(first[0]?.data?.pipelineStatus).toMatchObject({ state: 'IDLE', runId: null });
    api.pubsub.publish('pipelineStatus', { state: 'RUNNING', runId: EVENT_RUN_ID, at: new Date() });
    const change = await log.waitFor((event) => event.data?.pipelineStatus.state === 'RUNNING');
    expect(change.data?.pipelineStatus.runId).toBe(EVENT_RUN_ID);
    stop();
  });

  it('should announce detected mutations, filtered by run and quality', async () => {
    const all = subscribeWs<{ mutationDetected: { id: string; position: number } }>(
      client(),
      'subscription { mutationDetected { id position ref alt alleleFrequency quality } }',
    );
    const good = subscribeWs<{ mutationDetected: { position: number } }>(
      client(),
      `subscription { mutationDetected(runId: "${EVENT_RUN_ID}", minQuality: 40) { position } }`,
    );
    await sleep(100);
    api.pubsub.publish('mutationDetected', mutationDetectedEvent(10, { quality: 20 }));
    api.pubsub.publish(
      'mutationDetected',
      mutationDetectedEvent(20, { runId: '99999999-2222-4333-8444-555555555555' }),
    );
    api.pubsub.publish('mutationDetected', mutationDetectedEvent(30));
    await all.log.waitForCount(3);
    await good.log.waitForCount(1);
    await sleep(100);
    expect(all.log.events.map((event) => event.data?.mutationDetected.position)).toEqual([10, 20, 30]);
    expect(good.log.events.map((event) => event.data?.mutationDetected.position)).toEqual([30]);
    expect(all.log.events[0]?.data?.mutationDetected.id).toMatch(/^V1\./);
    all.stop();
    good.stop();
  });

  it('should frame each subscription of a socket under its own id, shared or filtered, as graphql-ws parses it', async () => {
    const socket = new WebSocket(api.wsUrl, GRAPHQL_TRANSPORT_WS_PROTOCOL);
    await once(socket, 'open');
    const messages: ReturnType<typeof parseMessage>[] = [];
    socket.on('message', (data: Buffer) => messages.push(parseMessage(data.toString('utf8'))));
    socket.send(
      stringifyMessage({ type: MessageType.ConnectionInit, payload: { authorization: `Bearer ${testKeys.viewer}` } }),
    );
    await once(socket, 'message');
    expect(messages.map((message) => message.type)).toEqual([MessageType.ConnectionAck]);
    const everything = 'subscription { mutationDetected { position contig } }';
    const subscriptions = {
      // Two ids with the same operation share one execution; a third filters by run.
      'every call "quoted" \\ id': everything,
      second: everything,
      ours: `subscription { mutationDetected(runId: "${EVENT_RUN_ID}") { position } }`,
    };
    for (const [id, query] of Object.entries(subscriptions)) {
      socket.send(stringifyMessage({ id, type: MessageType.Subscribe, payload: { query } }));
    }
    await sleep(100);
    api.pubsub.publish('mutationDetected', mutationDetectedEvent(41, { contig: 'chr "ü" 1' }));
    api.pubsub.publish(
      'mutationDetected',
      mutationDetectedEvent(42, { runId: '99999999-2222-4333-8444-555555555555' }),
    );
    const nexts = () => messages.filter((message) => message.type === MessageType.Next);
    for (let tries = 0; tries < 100 && nexts().length < 5; tries += 1) await sleep(20);
    await sleep(100);
    const positions = (id: string) =>
      nexts()
        .filter((message) => 'id' in message && message.id === id)
        .map(
          (message) => (message.payload as { data: { mutationDetected: { position: number } } }).data.mutationDetected,
        );
    expect(positions('every call "quoted" \\ id')).toEqual([
      { position: 41, contig: 'chr "ü" 1' },
      { position: 42, contig: 'chr1' },
    ]);
    expect(positions('second')).toEqual(positions('every call "quoted" \\ id'));
    expect(positions('ours')).toEqual([{ position: 41 }]);
    expect(nexts()).toHaveLength(5);
    socket.close(1000);
    await once(socket, 'close');
  });

  it('should skip metrics for a socket that stops reading and close it once it falls too far behind', async () => {
    const socket = new WebSocket(api.wsUrl, GRAPHQL_TRANSPORT_WS_PROTOCOL);
    await once(socket, 'open');
    socket.send(
      stringifyMessage({
        type: MessageType.ConnectionInit,
        payload: { authorization: `Bearer ${testKeys.viewer}` },
      }),
    );
    await once(socket, 'message');
    socket.send(
      stringifyMessage({
        id: 'metrics',
        type: MessageType.Subscribe,
        payload: { query: 'subscription { queueMetrics(intervalMs: 100) { at queueDepth } }' },
      }),
    );
    socket.send(
      stringifyMessage({
        id: 'alarms',
        type: MessageType.Subscribe,
        payload: { query: 'subscription { mutationDetected { id contig position ref alt quality } }' },
      }),
    );
    await sleep(100);
    const closed = once(socket, 'close');
    socket.pause();
    const drops = async () => {
      const metric = await api.server.metrics.subscriptionDrops.get();
      const count = (reason: string) => metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
      return { behind: count('behind'), closedSlow: count('closed-slow') };
    };
    const padding = 'A'.repeat(2_000);
    for (let batch = 0; batch < 200 && (await drops()).closedSlow === 0; batch += 1) {
      for (let event = 0; event < 100; event += 1) {
        const index = batch * 100 + event;
        api.pubsub.publish('metrics', metricsEvent({ at: new Date(Date.now() + index * 1_000), queueDepth: index }));
        api.pubsub.publish('mutationDetected', mutationDetectedEvent(index, { ref: padding }));
      }
      await sleep(5);
    }
    const counted = await drops();
    expect(counted.behind).toBeGreaterThan(0);
    expect(counted.closedSlow).toBe(1);
    socket.resume();
    const [code] = (await closed) as [number];
    expect([HelixCloseCode.SlowConsumer, ABNORMAL_CLOSURE]).toContain(code);
    await sleep(50);
    expect(api.server.subscriptions.subscribers).toBe(0);
  });
});
