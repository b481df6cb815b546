import type { ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsEvent, mutationDetectedEvent } from '../support/pipeline-events.js';
import { startTestServer, type TestServer, testKeys } from '../support/server.js';
import { sleep } from './support.js';

/** Alarms published at least while the clients do not read: far more than loopback's socket buffers hold. */
const EVENTS = 12_000;
/** Bases of padding in each event's `ref`, so each SSE message is about 2 KiB. */
const PADDING = 'A'.repeat(2_000);

/** A raw HTTP/1.1 SSE subscription: the socket, and everything it has read so far. */
async function subscribeRaw(api: TestServer, query: string): Promise<{ socket: Socket; received: () => string }> {
  const { hostname, port } = new URL(api.url);
  const socket = connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  const body = JSON.stringify({ query });
  socket.write(
    [
      'POST /graphql HTTP/1.1',
      `Host: ${hostname}:${port}`,
      'Content-Type: application/json',
      'Accept: text/event-stream',
      `Authorization: Bearer ${testKeys.viewer}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
  );
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const received = () => Buffer.concat(chunks).toString('latin1');
  for (let waited = 0; !received().includes(':\n\n'); waited += 10) {
    if (waited > 5_000) throw new Error(`no SSE stream opened: ${received()}`);
    await sleep(10);
  }
  return { socket, received };
}

describe('an SSE subscriber that stops reading', () => {
  let api: TestServer;
  /** The server's side of every open SSE response. */
  const responses = new Set<ServerResponse>();

  beforeAll(async () => {
    api = await startTestServer();
    api.server.http.on('request', (request, response: ServerResponse) => {
      if (request.headers.accept === 'text/event-stream') {
        responses.add(response);
        response.once('close', () => responses.delete(response));
      }
    });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('should hold a bounded number of bytes for it, give snapshots the newest, and end an alarm stream it can no longer keep whole', async () => {
    const alarms = await subscribeRaw(api, 'subscription { mutationDetected { contig position ref alt quality } }');
    const metrics = await subscribeRaw(api, 'subscription { queueMetrics(intervalMs: 100) { at queueDepth } }');
    await sleep(100);
    expect(responses.size).toBe(2);
    alarms.socket.pause();
    metrics.socket.pause();
    const drops = async (reason: 'behind' | 'closed-slow') => {
      const metric = await api.server.metrics.subscriptionDrops.get();
      return metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
    };
    let mostUnsent = 0;
    let alarmBytes = 0;
    const unsent = () => [...responses].reduce((sum, response) => sum + response.writableLength, 0);
    const started = Date.now();
    let published = 0;
    // At least EVENTS alarms, and on until the alarm stream ends (larger socket buffers take more).
    while (published < EVENTS || ((await drops('closed-slow')) === 0 && published < 5 * EVENTS)) {
      for (let event = 0; event < 100; event += 1) {
        published += 1;
        api.pubsub.publish('mutationDetected', mutationDetectedEvent(published, { ref: PADDING }));
        alarmBytes += PADDING.length;
      }
      await sleep(5);
      mostUnsent = Math.max(mostUnsent, unsent());
    }
    // Snapshots come at most every intervalMs whatever is published: a handful against the
    // kernel's buffers, so this one only shows that it is kept bounded and gets the newest.
    const snapshots = published;
    api.pubsub.publish('metrics', metricsEvent({ at: new Date(started + snapshots), queueDepth: snapshots }));
    await sleep(200);
    mostUnsent = Math.max(mostUnsent, unsent());
    const ended = await drops('closed-slow');
    console.info(
      `SSE subscribers not reading: ${published} alarms (${alarmBytes} B of ref alone) published; at most ${mostUnsent} B unsent in the server's responses; ${ended} alarm stream ended`,
    );
    expect(ended).toBe(1);
    // The response waits for `drain`: one write past Node's 16 KiB high-water mark at most, each.
    expect(mostUnsent).toBeLessThan(2 * 32 * 1024);

    alarms.socket.resume();
    metrics.socket.resume();
    await waitForText(metrics.received, `"queueDepth":${snapshots}}`);
    await waitForText(alarms.received, 'SLOW_CONSUMER');
    // Every alarm before the error arrived, in order, none skipped: the client knows exactly where to resume.
    const positions = [...alarms.received().matchAll(/"position":(\d+),/g)].map((match) => Number(match[1]));
    expect(positions.length).toBeGreaterThan(0);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    expect(positions.length).toBeLessThan(published);
    await sleep(100);
    expect(api.server.subscriptions.subscribers).toBe(1);
    alarms.socket.destroy();
    metrics.socket.destroy();
    await sleep(100);
    expect(api.server.subscriptions.subscribers).toBe(0);
  });
});

/** Waits up to 10 s for `text` to have been read. */
async function waitForText(received: () => string, text: string): Promise<void> {
  for (let waited = 0; !received().includes(text); waited += 20) {
    if (waited > 10_000) throw new Error(`${text} never arrived`);
    await sleep(20);
  }
}
