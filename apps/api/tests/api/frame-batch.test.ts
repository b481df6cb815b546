import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { TextFrameBatch } from '../../src/pubsub/frame-batch.js';
import { SharedResult } from '../../src/pubsub/subscriber.js';
import { sendTextFrame } from '../../src/pubsub/text-frame.js';

/** A self-signed certificate for 127.0.0.1, made by openssl for the test. */
function certificate(): { key: Buffer; cert: Buffer } {
  const directory = mkdtempSync(join(tmpdir(), 'helix-frame-batch-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-days',
        '1',
        '-keyout',
        join(directory, 'key.pem'),
        '-out',
        join(directory, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(directory, 'key.pem')), cert: readFileSync(join(directory, 'cert.pem')) };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** `count` ws connections to one server (plain or TLS): the server's sockets and what each client received. */
async function connections(count: number, tls = false) {
  const http: Server = tls ? createTlsServer(certificate()) : createServer();
  const sockets = new WebSocketServer({ server: http, perMessageDeflate: false });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const url = `${tls ? 'wss' : 'ws'}://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const pairs: { socket: WebSocket; client: WebSocket; received: string[] }[] = [];
  for (let index = 0; index < count; index += 1) {
    const serverSide = once(sockets, 'connection') as Promise<[WebSocket]>;
    const client = new WebSocket(url, { rejectUnauthorized: false });
    await once(client, 'open');
    const [socket] = await serverSide;
    const received: string[] = [];
    client.on('message', (data, isBinary) => received.push(isBinary ? '<binary>' : data.toString('utf8')));
    pairs.push({ socket, client, received });
  }
  const close = async () => {
    for (const { client } of pairs) client.terminate();
    sockets.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  };
  return { pairs, close };
}

const until = async (condition: () => boolean) => {
  for (let tries = 0; tries < 1_000 && !condition(); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** A result whose `next` message tail is `payload` and the closing `}`. */
const resultOf = (payload: string) => new SharedResult({ data: null }, payload);

/** What a socket subscriber does with the batch: queue the frame, or write it the ordinary way after the batch. */
function deliver(batch: TextFrameBatch, socket: WebSocket, head: Buffer, shared: SharedResult): boolean {
  if (batch.add(socket, head)) return true;
  batch.flush();
  sendTextFrame(socket, head, shared.messageTail);
  return false;
}

/** The TCP socket under a ws socket. */
const rawOf = (socket: WebSocket) => (socket as unknown as { _socket: Socket })._socket;

describe('text frames of a fan-out sent in one native call', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('should arrive intact and in order on every socket, at every length class, between ws own frames', async () => {
    const connected = await connections(40);
    close = connected.close;
    const payloads = ['1', `"${'é'.repeat(60)}"`, `"${'a'.repeat(65_000)}"`, `"${'b'.repeat(70_000)}"`, '{}'];
    const expected = connected.pairs.map(() => [] as string[]);
    for (const payload of payloads) {
      const shared = resultOf(payload);
      const batch = new TextFrameBatch(shared);
      connected.pairs.forEach(({ socket }, index) => {
        const head = `{"id":"${index}","type":"next","payload":`;
        expect(batch.add(socket, Buffer.from(head))).toBe(true);
        expected[index]?.push(`${head}${payload}}`);
      });
      batch.flush();
      connected.pairs.forEach(({ socket }, index) => {
        socket.send(`ws after ${payload.length}`);
        expected[index]?.push(`ws after ${payload.length}`);
      });
    }
    const total = expected.flat().length;
    await until(() => connected.pairs.reduce((sum, pair) => sum + pair.received.length, 0) === total);
    expect(connected.pairs.map((pair) => pair.received)).toEqual(expected);
    // The sockets are still sound: ws's own ping and close go through.
    const [first] = connected.pairs;
    first?.client.ping();
    await once(first?.client as WebSocket, 'pong');
  });

  it('should queue what a full send buffer did not take behind it, and every later frame after that', async () => {
    const connected = await connections(1);
    close = connected.close;
    const [pair] = connected.pairs;
    const { socket, client } = pair as (typeof connected.pairs)[number];
    // The client stops reading: the kernel's buffers fill after a few MiB.
    rawOf(client).pause();
    const payloads = Array.from({ length: 24 }, (_, index) => `"${String(index % 10).repeat(1 << 20)}"`);
    let queued = 0;
    let batched = 0;
    for (let round = 0; round < 3; round += 1) {
      // Two subscriptions of the socket in the same batch: the second must wait for the first's rest.
      const shared = resultOf(payloads[round] as string);
      const batch = new TextFrameBatch(shared);
      for (const id of ['a', 'b', 'c', 'd']) {
        if (deliver(batch, socket, Buffer.from(`{"id":"${id}${round}",`), shared)) {
          batched += 1;
        }
      }
      batch.flush();
      if (socket.bufferedAmount > 0) queued += 1;
    }
    for (let round = 3; round < payloads.length; round += 1) {
      const shared = resultOf(payloads[round] as string);
      const batch = new TextFrameBatch(shared);
      deliver(batch, socket, Buffer.from(`{"id":"z${round}",`), shared);
      batch.flush();
    }
    expect(batched).toBeGreaterThan(0);
    expect(queued).toBeGreaterThan(0);
    const expected = [
      ...[0, 1, 2].flatMap((round) => ['a', 'b', 'c', 'd'].map((id) => `{"id":"${id}${round}",${payloads[round]}}`)),
      ...payloads.slice(3).map((payload, index) => `{"id":"z${index + 3}",${payload}}`),
    ];
    rawOf(client).resume();
    await until(() => pair?.received.length === expected.length);
    expect(pair?.received.length).toBe(expected.length);
    // Compared one by one: a mismatch of 1 MiB strings would print too much.
    const differing = pair?.received.findIndex((text, index) => text !== expected[index]);
    expect(differing).toBe(-1);
  });

  it('should leave a TLS socket to its stream, whose frames arrive as sent', async () => {
    const connected = await connections(1, true);
    close = connected.close;
    const [pair] = connected.pairs;
    const shared = resultOf('"over tls"');
    const batch = new TextFrameBatch(shared);
    expect(deliver(batch, pair?.socket as WebSocket, Buffer.from('{"id":"1",'), shared)).toBe(false);
    await until(() => pair?.received.length === 1);
    expect(pair?.received).toEqual(['{"id":"1","over tls"}']);
  });

  it('should take no frame for a socket with writes of its own waiting, or one that is closing', async () => {
    const connected = await connections(3);
    close = connected.close;
    const [waiting, closing, reading] = connected.pairs as [
      (typeof connected.pairs)[number],
      (typeof connected.pairs)[number],
      (typeof connected.pairs)[number],
    ];
    const shared = resultOf('1');
    const batch = new TextFrameBatch(shared);
    const raw = rawOf(waiting.socket);
    raw.cork();
    waiting.socket.send('corked first');
    expect(batch.add(waiting.socket, Buffer.from('{"id":"1",'))).toBe(false);
    raw.uncork();
    closing.socket.close(1000, 'bye');
    expect(batch.add(closing.socket, Buffer.from('{"id":"2",'))).toBe(false);
    // ws reads a Blob before it frames it: the frame is in neither its queue nor the socket.
    reading.socket.send(new Blob(['blob first']));
    expect(deliver(batch, reading.socket, Buffer.from('{"id":"3",'), shared)).toBe(false);
    await until(() => waiting.received.length === 1 && reading.received.length === 2);
    expect(waiting.received).toEqual(['corked first']);
    expect(reading.received).toEqual(['<binary>', '{"id":"3",1}']);
  });
});
