import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { sendTextFrame } from '../../src/pubsub/text-frame.js';

/** A ws server on a free port whose first connection is handed to the test, and a client of it. */
async function connectedPair(perMessageDeflate: boolean) {
  const http: Server = createServer();
  const sockets = new WebSocketServer({ server: http, perMessageDeflate });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const serverSide = once(sockets, 'connection') as Promise<[WebSocket]>;
  const client = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`, { perMessageDeflate });
  await once(client, 'open');
  const [socket] = await serverSide;
  const received: string[] = [];
  client.on('message', (data, isBinary) => received.push(isBinary ? '<binary>' : data.toString('utf8')));
  const close = async () => {
    client.terminate();
    sockets.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  };
  return { socket, client, received, close };
}

const until = async (condition: () => boolean) => {
  for (let tries = 0; tries < 200 && !condition(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('text frames written around ws', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('should arrive as the text messages ws sends, at every length class, in order with ws own frames', async () => {
    const pair = await connectedPair(false);
    close = pair.close;
    const texts = [
      '',
      'x',
      `{"id":"1","type":"next","payload":${'"é"'.repeat(40)}}`,
      'ü'.repeat(200),
      'a'.repeat(65_535),
      'b'.repeat(70_000),
    ];
    const expected: string[] = [];
    texts.forEach((text, index) => {
      const cut = Math.floor(text.length / 2);
      sendTextFrame(pair.socket, Buffer.from(text.slice(0, cut)), Buffer.from(text.slice(cut)));
      expected.push(text);
      // ws's own sends interleave with frames written around it.
      pair.socket.send(`ws ${index}`);
      expected.push(`ws ${index}`);
    });
    await until(() => pair.received.length === expected.length);
    expect(pair.received).toEqual(expected);
    // The socket is still sound: it answers a ping and closes cleanly.
    pair.client.ping();
    await once(pair.client, 'pong');
    pair.socket.close(1000, 'done');
    const [code] = (await once(pair.client, 'close')) as [number];
    expect(code).toBe(1000);
  });

  it('should hand the message to ws when compression was negotiated', async () => {
    const pair = await connectedPair(true);
    close = pair.close;
    expect(pair.socket.extensions).toContain('permessage-deflate');
    const text = `{"payload":"${'compressible '.repeat(500)}"}`;
    sendTextFrame(pair.socket, Buffer.from(text.slice(0, 10)), Buffer.from(text.slice(10)));
    pair.socket.send('after');
    await until(() => pair.received.length === 2);
    expect(pair.received).toEqual([text, 'after']);
  });

  it('should write nothing to a socket that is closing', async () => {
    const pair = await connectedPair(false);
    close = pair.close;
    pair.socket.close(1000, 'bye');
    sendTextFrame(pair.socket, Buffer.from('late '), Buffer.from('message'));
    const [code] = (await once(pair.client, 'close')) as [number];
    expect(code).toBe(1000);
    expect(pair.received).toEqual([]);
  });
});
