import type { Duplex } from 'node:stream';
import { sendTextFrames } from '@helix/native';
import type WebSocket from 'ws';
import type { SharedResult } from './subscriber.js';
import { bypassableSocket, textFrame, textFrameSize } from './text-frame.js';

/** What a `net.Socket` keeps that decides whether its descriptor may be written to directly. */
interface TcpInternals {
  /** True on a TLS socket: its bytes must go through OpenSSL. */
  encrypted?: boolean;
  /** libuv's TCP handle (null once closed): its descriptor, and bytes libuv still holds. */
  _handle?: { fd?: number; writeQueueSize?: number } | null;
}

/** Frames sent in one native call at most; the fan-out flushes more often than this anyway. */
const CAPACITY = 32;

/** Direct writes need a TCP socket's file descriptor and Linux's sendmsg flags. */
const LINUX = process.platform === 'linux';

/**
 * The `next` frames of one stretch of a fan-out (one shared result, so one tail), sent to their
 * TCP sockets by one native call on this thread (`sendTextFrames`: a nonblocking `sendmsg` per
 * socket from the head and tail as they are, no frame built), instead of a `socket.write` each
 * through Node's stream and libuv. A socket is only written to this way when nothing of its own
 * can be waiting before the frame: plain TCP (not TLS), open and writable, nothing in its
 * stream's or libuv's queue, ws holding nothing back ({@link bypassableSocket}). Whatever the
 * kernel does not take at once (a full send buffer) is handed to `socket.write` straight after,
 * so it waits in the stream's queue like any other write, counts in `bufferedAmount` (the soft and
 * hard limits see it) and keeps its place before later frames. These writes do not show in the
 * socket's `bytesWritten`.
 */
export class TextFrameBatch {
  readonly #shared: SharedResult;
  readonly #sockets: Duplex[] = [];
  readonly #heads: Buffer[] = [];
  readonly #descriptors = new Int32Array(CAPACITY);
  readonly #written = new Uint32Array(CAPACITY);

  constructor(shared: SharedResult) {
    this.#shared = shared;
  }

  /**
   * Queues the frame of `head` and the shared tail for `socket`, or returns false when it must be
   * written the ordinary way; then {@link flush} first, since the socket may be queued already.
   */
  add(socket: WebSocket, head: Buffer): boolean {
    if (!LINUX) return false;
    const raw = bypassableSocket(socket) as (Duplex & TcpInternals) | undefined;
    if (raw === undefined || raw.encrypted === true || !raw.writable || raw.writableLength !== 0) return false;
    const handle = raw._handle;
    const descriptor = handle?.fd;
    if (typeof descriptor !== 'number' || descriptor < 0 || handle?.writeQueueSize !== 0) return false;
    if (this.#sockets.length === CAPACITY) this.flush();
    this.#descriptors[this.#sockets.length] = descriptor;
    this.#sockets.push(raw);
    this.#heads.push(head);
    return true;
  }

  /** Sends every queued frame, then queues on each socket what its kernel buffer did not take. */
  flush(): void {
    const count = this.#sockets.length;
    if (count === 0) return;
    const tail = this.#shared.messageTail;
    const written = this.#written;
    sendTextFrames(this.#descriptors.subarray(0, count), this.#heads, tail, written.subarray(0, count));
    for (let index = 0; index < count; index += 1) {
      const head = this.#heads[index] as Buffer;
      const sent = written[index] as number;
      if (sent < textFrameSize(head.length + tail.length)) {
        const frame = textFrame(head, tail);
        (this.#sockets[index] as Duplex).write(sent === 0 ? frame : frame.subarray(sent));
      }
    }
    this.#sockets.length = 0;
    this.#heads.length = 0;
  }
}
