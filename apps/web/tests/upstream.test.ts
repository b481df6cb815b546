import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GraphQLResponseJson } from '@/lib/graphql/codes';

/** How many requests the stand-in answers 503 (starting up) before streaming. */
let notReady = 0;

/** A stand-in for the API's SSE endpoint: one result a tick while up; 401 for the wrong key. */
function apiHandler(request: IncomingMessage, response: ServerResponse) {
  if (request.headers.authorization !== 'Bearer good-key') {
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'UNAUTHENTICATED' } }] }));
    return;
  }
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    if (notReady > 0) {
      notReady--;
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          errors: [{ message: 'The database is not ready yet', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
        }),
      );
      return;
    }
    if (body.includes('invalidField')) {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: [{ message: 'Cannot query field "invalidField"' }] }));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(':\n\n');
    let tick = 0;
    const timer = setInterval(() => {
      response.write(`event: next\ndata: ${JSON.stringify({ data: { tick: tick++ } })}\n\n`);
    }, 50);
    response.on('close', () => clearInterval(timer));
  });
}

let server: Server;
let port: number;
const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
let subscribeUpstream: typeof import('@/server/upstream').subscribeUpstream;

beforeAll(async () => {
  server = createServer(apiHandler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  vi.stubEnv('HELIX_API_URL', `http://127.0.0.1:${port}/graphql`);
  vi.resetModules();
  ({ subscribeUpstream } = await import('@/server/upstream'));
});

afterAll(() => {
  vi.unstubAllEnvs();
  server.closeAllConnections();
  server.close();
});

const request = { query: 'subscription { tick }' };
const code = (result: GraphQLResponseJson | undefined) => result?.errors?.[0]?.extensions?.code;

describe('subscribeUpstream', () => {
  it('should keep an operation open across an API restart, saying when it is unreachable', async () => {
    const controller = new AbortController();
    const results = subscribeUpstream(request, 'good-key', controller.signal);
    expect((await results.next()).value).toEqual({ data: { tick: 0 } });

    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    let result = (await results.next()).value;
    expect(code(result)).toBe('API_UNREACHABLE');
    expect(result?.errors?.[0]?.message).toContain(`127.0.0.1:${port}`);

    await listen();
    do result = (await results.next()).value;
    while (code(result) === 'API_UNREACHABLE');
    expect(result).toEqual({ data: { tick: 0 } });

    controller.abort();
    expect((await results.next()).done).toBe(true);
  });

  it('should wait while the API starts up (503) and stream once it is ready', async () => {
    notReady = 2;
    const controller = new AbortController();
    const results = subscribeUpstream(request, 'good-key', controller.signal);
    for (let index = 0; index < 2; index++) {
      const result = (await results.next()).value;
      expect(code(result)).toBe('API_UNREACHABLE');
      expect(result?.errors?.[0]?.message).toContain('not ready (503: The database is not ready yet)');
    }
    expect((await results.next()).value).toEqual({ data: { tick: 0 } });
    controller.abort();
  });

  it('should end with UNAUTHENTICATED when the API rejects the key', async () => {
    const results = subscribeUpstream(request, 'wrong-key', new AbortController().signal);
    expect(code((await results.next()).value)).toBe('UNAUTHENTICATED');
    expect((await results.next()).done).toBe(true);
  });

  it("should pass the API's JSON answer on and end (validation errors)", async () => {
    const results = subscribeUpstream(
      { query: 'subscription { invalidField }' },
      'good-key',
      new AbortController().signal,
    );
    expect((await results.next()).value).toEqual({ errors: [{ message: 'Cannot query field "invalidField"' }] });
    expect((await results.next()).done).toBe(true);
  });
});
