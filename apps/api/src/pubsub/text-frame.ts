import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';

/** What `ws` keeps about a socket that decides whether a frame may be written around it. */
interface WsInternals {
  /** The TCP socket under the WebSocket (absent before the upgrade and after close). */
  _socket?: Duplex;
  /**
   * ws's frame writer: frames wait in its queue while it compresses or reads a Blob, and the
   * frame being compressed or read is in neither the queue nor the socket (`_state` not 0).
   */
  _sender?: { _queue?: unknown[]; _state?: number };
}

/**
 * The RFC 6455 header of a final, unmasked text frame (what a server sends) carrying `length`
 * bytes, written at the start of `target`; returns the header's size.
 */
function writeTextHeader(target: Buffer, length: number): number {
  target[0] = 0x81;
  if (length < 126) {
    target[1] = length;
    return 2;
  }
  if (length < 0x1_0000) {
    target[1] = 126;
    target.writeUInt16BE(length, 2);
    return 4;
  }
  target[1] = 127;
  target.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  target.writeUInt32BE(length >>> 0, 6);
  return 10;
}

/** The size of the header {@link writeTextHeader} writes for `length` bytes. */
const headerSize = (length: number) => (length < 126 ? 2 : length < 0x1_0000 ? 4 : 10);

/** The WebSocket text frame carrying `head` then `tail`: the bytes ws writes for that message. */
export function textFrame(head: Buffer, tail: Buffer): Buffer {
  const length = head.length + tail.length;
  const frame = Buffer.allocUnsafe(headerSize(length) + length);
  const offset = writeTextHeader(frame, length);
  head.copy(frame, offset);
  tail.copy(frame, offset + head.length);
  return frame;
}

/** The size of the text frame carrying `length` bytes of text. */
export const textFrameSize = (length: number) => headerSize(length) + length;

/**
 * The TCP socket under `socket` when a frame may be written to it around ws: the socket is open,
 * no compression was negotiated and ws holds no frames of its own back; otherwise undefined.
 */
export function bypassableSocket(socket: WebSocket): Duplex | undefined {
  const internals = socket as unknown as WsInternals;
  const raw = internals._socket;
  if (
    raw === undefined ||
    socket.readyState !== socket.OPEN ||
    socket.extensions !== '' ||
    internals._sender?._queue === undefined ||
    internals._sender._queue.length > 0 ||
    (internals._sender._state ?? 0) !== 0
  ) {
    return undefined;
  }
  return raw;
}

/**
 * Sends `head` then `tail` (UTF-8 JSON text) to `socket` as one WebSocket text message. One
 * event goes to thousands of sockets in one synchronous loop, so the frame is built here as one
 * buffer and handed to the TCP socket in one write, instead of through ws's `send` (a byte length
 * of the text, a header buffer, a corked two-part write per socket). The frame is the one ws
 * writes; whenever ws might hold frames of its own back (compression negotiated, a queue), or the
 * socket is not open, `send` is used instead, so frames never overtake each other.
 */
export function sendTextFrame(socket: WebSocket, head: Buffer, tail: Buffer): void {
  const raw = bypassableSocket(socket);
  if (raw === undefined) {
    socket.send(Buffer.concat([head, tail]), { binary: false });
    return;
  }
  raw.write(textFrame(head, tail));
}
