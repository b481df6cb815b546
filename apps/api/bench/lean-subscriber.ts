/**
 * A lean graphql-ws (`graphql-transport-ws`) subscriber for load generation: one TCP socket, the
 * RFC 6455 opening handshake (the server's `Sec-WebSocket-Accept` and chosen subprotocol checked),
 * one subscription, and every frame the server sends parsed: text frames as graphql-ws messages
 * (`JSON.parse`d, their type and subscription id checked), pings answered, a close answered. It
 * does without the reconnection, validation and sink machinery of graphql-ws's `createClient` and
 * without `ws`'s stream and event layers: with thousands of subscribers on the server's own cores,
 * the client's cost per message is part of the lag that is measured, so the load generator should
 * spend as little as a client can while still receiving and reading every message.
 *
 * Reads go through `net`'s `onread` into one buffer shared by every socket of the process (a read
 * is handled synchronously before the next), so receiving allocates nothing but the bytes of a
 * frame that spans reads.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { ExecutionResult } from 'graphql';
import { GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType } from 'graphql-ws';

/** A subscription over its own socket. */
export interface LeanSubscription {
  /**
   * Settles once the server acknowledged the connection and the subscription was sent (or the
   * socket failed first): what a load generator waits for before opening more sockets, so the
   * server's accept queue never overflows (an overflowed queue resets connections).
   */
  readonly ready: Promise<void>;
  /** Completes the subscription, closes the WebSocket and waits for the socket to end. */
  dispose(): Promise<void>;
}

/** The GUID RFC 6455 appends to the key to derive `Sec-WebSocket-Accept`. */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
/** Every socket's reads land here; each is consumed before the next read. */
const readBuffer = Buffer.allocUnsafe(256 * 1024);

/** A masked client frame (RFC 6455 §5.3: everything a client sends is masked). */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 0x1_0000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + 4 + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) frame[1] = 0x80 | length;
  else if (length < 0x1_0000) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, headerLength);
  for (let index = 0; index < length; index += 1) {
    frame[headerLength + 4 + index] = (payload[index] as number) ^ (mask[index & 3] as number);
  }
  return frame;
}

/** Subscribes to `query` at `url` with `authorization` in `connection_init`; `next` gets each payload. */
export function leanSubscribe(
  url: string,
  authorization: string,
  query: string,
  next: (payload: ExecutionResult) => void,
  error: (reason: string) => void,
): LeanSubscription {
  const target = new URL(url);
  const id = randomUUID();
  const key = randomBytes(16).toString('base64');
  const accept = createHash('sha1')
    .update(key + HANDSHAKE_GUID)
    .digest('base64');
  let upgraded = false;
  let disposed = false;
  let closeSent = false;
  /** Bytes of an incomplete handshake response or frame, kept until the rest arrives. */
  let pending: Buffer | undefined;
  /** The text of a fragmented message so far. */
  let fragments: Buffer[] | undefined;
  let settle: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    settle = resolve;
  });

  /** Writes a frame unless this side already ended the socket (e.g. disposed before the handshake). */
  const send = (frame: Buffer) => {
    if (socket.writable) socket.write(frame);
  };
  const sendText = (message: object) => send(clientFrame(OPCODE.text, Buffer.from(JSON.stringify(message))));
  const sendClose = (code: number, reason: string) => {
    if (closeSent) return;
    closeSent = true;
    const payload = Buffer.allocUnsafe(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    send(clientFrame(OPCODE.close, payload));
  };

  const onText = (data: Buffer, start: number, end: number) => {
    const message = JSON.parse(data.toString('utf8', start, end)) as { type: string; id?: string; payload?: unknown };
    if (message.type === MessageType.Next && message.id === id) {
      next(message.payload as ExecutionResult);
    } else if (message.type === MessageType.ConnectionAck) {
      sendText({ id, type: MessageType.Subscribe, payload: { query } });
      settle();
    } else if (message.type === MessageType.Ping) {
      sendText({ type: MessageType.Pong });
    } else if (message.type !== MessageType.Pong) {
      error(`unexpected message: ${data.toString('utf8', start, Math.min(end, start + 200))}`);
    }
  };

  const onFrame = (fin: boolean, opcode: number, data: Buffer, start: number, end: number) => {
    if (opcode === OPCODE.text && fin) onText(data, start, end);
    else if (opcode === OPCODE.text || opcode === OPCODE.continuation) {
      fragments = [...(fragments ?? []), Buffer.from(data.subarray(start, end))];
      if (!fin) return;
      const whole = Buffer.concat(fragments);
      fragments = undefined;
      onText(whole, 0, whole.length);
    } else if (opcode === OPCODE.ping) send(clientFrame(OPCODE.pong, Buffer.from(data.subarray(start, end))));
    else if (opcode === OPCODE.close) {
      const code = end - start >= 2 ? data.readUInt16BE(start) : 1005;
      if (!disposed) error(`socket closed: ${code} ${data.toString('utf8', start + 2, end)}`);
      sendClose(code === 1005 ? 1000 : code, '');
      socket.end();
    } else if (opcode !== OPCODE.pong) error(`unexpected opcode ${opcode}`);
  };

  /** Handles every whole frame in `data[start, end)`; returns where the first incomplete one starts. */
  const onFrames = (data: Buffer, start: number, end: number): number => {
    let at = start;
    while (end - at >= 2) {
      const first = data[at] as number;
      const second = data[at + 1] as number;
      if (second & 0x80) throw new Error('the server masked a frame');
      let length = second & 0x7f;
      let header = 2;
      if (length === 126) {
        if (end - at < 4) break;
        length = data.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (end - at < 10) break;
        length = data.readUInt32BE(at + 2) * 2 ** 32 + data.readUInt32BE(at + 6);
        header = 10;
      }
      if (end - at < header + length) break;
      onFrame((first & 0x80) !== 0, first & 0x0f, data, at + header, at + header + length);
      at += header + length;
    }
    return at;
  };

  /** Checks the server's handshake response; returns where the frames after it start, or -1 if incomplete. */
  const onHandshake = (data: Buffer, end: number): number => {
    const headEnd = data.subarray(0, end).indexOf('\r\n\r\n');
    if (headEnd < 0) return -1;
    const [status = '', ...fields] = data.toString('latin1', 0, headEnd).split('\r\n');
    const headers = new Map(
      fields.map((field) => {
        const colon = field.indexOf(':');
        return [field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).trim()] as const;
      }),
    );
    if (!status.startsWith('HTTP/1.1 101')) throw new Error(`no upgrade: ${status}`);
    if (headers.get('sec-websocket-accept') !== accept) throw new Error('wrong Sec-WebSocket-Accept');
    if (headers.get('sec-websocket-protocol') !== GRAPHQL_TRANSPORT_WS_PROTOCOL) throw new Error('wrong subprotocol');
    upgraded = true;
    sendText({ type: MessageType.ConnectionInit, payload: { authorization } });
    return headEnd + 4;
  };

  const onRead = (read: number, buffer: Buffer): boolean => {
    let data = buffer;
    let end = read;
    if (pending) {
      data = Buffer.concat([pending, buffer.subarray(0, read)]);
      end = data.length;
      pending = undefined;
    }
    try {
      let start = 0;
      if (!upgraded) {
        start = onHandshake(data, end);
        if (start < 0) start = 0;
      }
      if (upgraded) start = onFrames(data, start, end);
      // What is left is the start of a frame (or of the handshake): a copy, as the buffer is shared.
      if (start < end) pending = Buffer.from(data.subarray(start, end));
    } catch (cause) {
      error((cause as Error).message);
      socket.destroy();
    }
    return true;
  };

  const socket: Socket = connect({
    host: target.hostname,
    port: Number(target.port),
    noDelay: true,
    onread: { buffer: readBuffer, callback: onRead },
  });
  socket.on('connect', () => {
    socket.write(
      `GET ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
        `Sec-WebSocket-Protocol: ${GRAPHQL_TRANSPORT_WS_PROTOCOL}\r\n\r\n`,
    );
  });
  socket.on('error', (cause) => error(cause.message));
  socket.on('close', () => {
    settle();
    if (!disposed && !closeSent) error('socket closed without a close frame');
  });

  return {
    ready,
    async dispose() {
      disposed = true;
      if (socket.destroyed) return;
      const closed = once(socket, 'close');
      if (upgraded && !closeSent) {
        sendText({ id, type: MessageType.Complete });
        sendClose(1000, 'done');
      } else socket.end();
      // A server that does not answer the close is let go of.
      const timer = setTimeout(() => socket.destroy(), 2_000);
      await closed;
      clearTimeout(timer);
    },
  };
}
