import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, Socket } from 'node:net';
import { sendTextFrames } from '@helix/native';
import { afterEach, describe, expect, it } from 'vitest';

/** The descriptor libuv holds for a TCP socket. */
const descriptorOf = (socket: Socket) => (socket as unknown as { _handle: { fd: number } })._handle.fd;

/** A loopback TCP connection: the accepted side (written to) and the client (read from). */
async function tcpPair() {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = new Socket();
  client.connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  const [written] = await accepted;
  const close = async () => {
    client.destroy();
    written.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return { written, client, close };
}

/** Reads from `client` until `bytes` have arrived. */
async function receive(client: Socket, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  client.resume();
  for await (const chunk of client) {
    chunks.push(chunk as Buffer);
    received += (chunk as Buffer).length;
    if (received >= bytes) break;
  }
  return Buffer.concat(chunks);
}

describe('text frames sent natively to TCP sockets', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('should send each socket its head and the shared tail as one text frame', async () => {
    const pair = await tcpPair();
    close = pair.close;
    const descriptor = descriptorOf(pair.written);
    const first = Buffer.from('{"id":"1",');
    const second = Buffer.from('{"id":"22",');
    const tail = Buffer.from(`"payload":"${'x'.repeat(200)}"}`);
    const written = new Uint32Array(2);
    sendTextFrames(new Int32Array([descriptor, descriptor]), [first, second], tail, written);
    const firstSize = 4 + first.length + tail.length;
    const secondSize = 4 + second.length + tail.length;
    expect([...written]).toEqual([firstSize, secondSize]);
    const bytes = await receive(pair.client, firstSize + secondSize);
    expect([...bytes.subarray(0, 4)]).toEqual([0x81, 126, 0, first.length + tail.length]);
    expect(bytes.subarray(4, firstSize).toString()).toBe(`{"id":"1",${tail}`);
    expect([...bytes.subarray(firstSize, firstSize + 4)]).toEqual([0x81, 126, 0, second.length + tail.length]);
    expect(bytes.subarray(firstSize + 4).toString()).toBe(`{"id":"22",${tail}`);
  });

  it('should report a partial write on a full send buffer and send that socket nothing more', async () => {
    const pair = await tcpPair();
    close = pair.close;
    pair.client.pause();
    const descriptor = descriptorOf(pair.written);
    const tail = Buffer.alloc(1 << 20, 'y');
    const frames = 64;
    const written = new Uint32Array(frames);
    sendTextFrames(
      new Int32Array(frames).fill(descriptor),
      Array.from({ length: frames }, () => Buffer.from('{')),
      tail,
      written,
    );
    const whole = 10 + 1 + tail.length;
    const short = written.findIndex((sent) => sent < whole);
    expect(short).toBeGreaterThanOrEqual(0);
    expect(written.subarray(short + 1).every((sent) => sent === 0)).toBe(true);
    // What the kernel took is exactly what arrives.
    const taken = written.reduce((sum, sent) => sum + sent, 0);
    const bytes = await receive(pair.client, taken);
    expect(bytes.length).toBe(taken);
  });

  it('should refuse frames of different counts of sockets, heads and results', () => {
    expect(() => sendTextFrames(new Int32Array(2), [Buffer.from('{')], Buffer.from('}'), new Uint32Array(2))).toThrow(
      /2 sockets, 1 heads and 2 written counts differ/,
    );
  });
});
