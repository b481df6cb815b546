/**
 * What one fan-out of a subscription result to N WebSocket subscribers costs the server, with the
 * frames sent in native batches (`TextFrameBatch`: one `sendmsg` per socket from Rust) against the
 * reference measured in the same run, each socket's frame handed to `socket.write` (Node's stream
 * and libuv). The server is this process (a `ws` server and one `SocketSubscriber` per socket);
 * the subscribers are bare WebSocket readers in a child process (each frame's header parsed,
 * messages counted). Rounds alternate the two ways, 250 ms apart (the metrics stream's interval);
 * for each: the fan-out's wall time and the server's CPU (user / system: JS and libuv against the
 * kernel's send), and the time until the client process had every message.
 *
 *   npx tsx bench/fan-out-writes.ts     (BENCH_FAN_OUT_SOCKETS=10000 BENCH_FAN_OUT_ROUNDS=40)
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { fanOut } from '../src/pubsub/fan-out.js';
import { SocketSubscriber } from '../src/pubsub/socket-subscriber.js';
import { SharedResult, type Subscriber } from '../src/pubsub/subscriber.js';

const SOCKETS = Number(process.env.BENCH_FAN_OUT_SOCKETS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_FAN_OUT_ROUNDS ?? 40);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Messages between this process and the readers' process. */
type ReaderMessage = { kind: 'connected' } | { kind: 'received'; messages: number; cpuMs: number };

/** The readers: `count` sockets upgraded to WebSocket, counting the frames that arrive. */
async function readers(port: number, count: number): Promise<void> {
  let messages = 0;
  let expected = Number.POSITIVE_INFINITY;
  let cpu = process.cpuUsage();
  const report = () => {
    if (messages < expected) return;
    const used = process.cpuUsage(cpu);
    process.send?.({ kind: 'received', messages, cpuMs: (used.user + used.system) / 1_000 } satisfies ReaderMessage);
    expected = Number.POSITIVE_INFINITY;
  };
  process.on('message', (next: number) => {
    cpu = process.cpuUsage();
    expected = next;
    report();
  });
  for (let index = 0; index < count; index += 1) {
    const socket = connect(port, '127.0.0.1');
    socket.write(
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${Buffer.from(String(index).padStart(16, '0')).toString('base64')}\r\n` +
        'Sec-WebSocket-Version: 13\r\n\r\n',
    );
    let pending: Buffer = Buffer.alloc(0);
    let upgraded = false;
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      if (!upgraded) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        upgraded = true;
        pending = pending.subarray(end + 4);
      }
      for (;;) {
        if (pending.length < 2) break;
        const short = (pending[1] as number) & 0x7f;
        const header = short < 126 ? 2 : short === 126 ? 4 : 10;
        if (pending.length < header) break;
        const length =
          short < 126 ? short : short === 126 ? pending.readUInt16BE(2) : Number(pending.readBigUInt64BE(2));
        if (pending.length < header + length) break;
        pending = pending.subarray(header + length);
        messages += 1;
      }
      report();
    });
    if (index % 100 === 99) await sleep(10);
  }
  process.send?.({ kind: 'connected' } satisfies ReaderMessage);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** The server side: subscribers on every accepted socket, fanned out to in alternating rounds. */
async function main(): Promise<void> {
  const http = createServer();
  const server = new WebSocketServer({ server: http });
  const sockets: WebSocket[] = [];
  server.on('connection', (socket) => sockets.push(socket));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const child = fork(fileURLToPath(import.meta.url), ['--readers', String((http.address() as AddressInfo).port)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await once(child, 'message');
  while (sockets.length < SOCKETS) await sleep(10);
  const limits = { socketSoftLimitBytes: 1 << 20, socketHardLimitBytes: 16 << 20 };
  const batched: Subscriber[] = sockets.map(
    (socket, index) => new SocketSubscriber({ socket, id: `${index}` }, limits, true, () => undefined),
  );
  // The reference: the same subscribers, each frame written by `socket.write` (no batch given).
  const streamed: Subscriber[] = batched.map((subscriber) => ({
    deliver: (shared) => subscriber.deliver(shared),
    end: () => subscriber.end(),
  }));
  const figures = { native: [] as number[][], stream: [] as number[][] };
  let expected = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const way = round % 2 === 0 ? 'native' : 'stream';
    const metrics = { at: new Date().toISOString(), state: 'RUNNING', queueDepth: 3, ingestionRate: 51234.5 };
    const shared = new SharedResult(
      { data: { queueMetrics: metrics } },
      JSON.stringify({ data: { queueMetrics: metrics } }),
    );
    expected += SOCKETS;
    child.send(expected);
    const received = once(child, 'message') as Promise<[ReaderMessage]>;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await fanOut(shared, way === 'native' ? batched : streamed);
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const [reply] = await received;
    const delivered = performance.now() - start;
    const clientCpu = reply.kind === 'received' ? reply.cpuMs : Number.NaN;
    // The first two rounds warm up both ways.
    if (round >= 2) figures[way].push([wall, used.user / 1_000, used.system / 1_000, delivered, clientCpu]);
    await sleep(250);
  }
  child.kill();
  const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(56)} ${value}\n`);
  process.stdout.write(
    `\nOne fan-out to ${SOCKETS.toLocaleString('en')} WebSocket subscribers (medians of ${ROUNDS / 2 - 1} rounds each)\n`,
  );
  const summary = {} as Record<'native' | 'stream', number[]>;
  for (const way of ['native', 'stream'] as const) {
    const rows = figures[way];
    const [wall, user, system, delivered, clientCpu] = [0, 1, 2, 3, 4].map((column) =>
      median(rows.map((row) => row[column] as number)),
    ) as [number, number, number, number, number];
    summary[way] = [wall, user + system];
    line(
      way === 'native' ? '  native batches (sendTextFrames)' : '  socket.write per socket (reference)',
      `fan-out ${wall.toFixed(1)} ms, server CPU ${(user + system).toFixed(1)} ms (user ${user.toFixed(1)} / system ${system.toFixed(1)}), all received ${delivered.toFixed(1)} ms, client CPU ${clientCpu.toFixed(1)} ms`,
    );
  }
  line(
    '  ratio native / reference',
    `fan-out ${((summary.native[0] as number) / (summary.stream[0] as number)).toFixed(2)}, server CPU ${((summary.native[1] as number) / (summary.stream[1] as number)).toFixed(2)}`,
  );
  for (const socket of sockets) socket.terminate();
  server.close();
  http.closeAllConnections();
  http.close();
}

if (process.argv[2] === '--readers') {
  await readers(Number(process.argv[3]), SOCKETS);
} else {
  await main();
}
