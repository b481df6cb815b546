import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type YogaInitialContext } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { bearerKey, type KeyRing } from './auth/keys.js';
import type { Database } from './db/database.js';
import type { Role } from './env.js';
import type { Logger } from './logger.js';
import type { Context } from './schema/builder.js';
import { schema } from './schema/index.js';

/** What the HTTP server needs from the rest of the process. */
export interface ServerOptions {
  logger: Logger;
  keyRing: KeyRing;
  /** The database once it is connected and migrated; undefined while start-up is still trying. */
  database: () => Database | undefined;
  /** Origin allowed to call the API from a browser (the dashboard). */
  dashboardOrigin: string;
}

/** A running API server. */
export interface ApiServer {
  http: Server;
  listen(port: number, host: string): Promise<AddressInfo>;
  close(): Promise<void>;
}

/** Raised when the listen address is taken; its message says what to do. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

interface ServerContext {
  /** Set for graphql-ws operations, whose key was checked once in `connection_init`. */
  role?: Role | undefined;
}

function databaseOrFail(options: ServerOptions): Database {
  const database = options.database();
  if (!database) {
    throw new GraphQLError('The database is not ready yet; try again shortly.', {
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
    });
  }
  return database;
}

/** Serves /health and /ready; returns false for any other path. */
async function serveProbe(
  request: IncomingMessage,
  response: ServerResponse,
  options: ServerOptions,
): Promise<boolean> {
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/health') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return true;
  }
  if (path === '/ready') {
    const ready = (await options.database()?.isReady()) ?? false;
    response
      .writeHead(ready ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: ready ? 'ready' : 'not ready' }));
    return true;
  }
  return false;
}

/**
 * Builds the API server: GraphQL over HTTP (with SSE subscriptions) and graphql-ws on the same
 * port and path, GraphiQL with bundled assets, and the /health and /ready probes.
 */
export function createApiServer(options: ServerOptions): ApiServer {
  const { logger, keyRing } = options;
  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    renderGraphiQL,
    graphiql: { subscriptionsProtocol: 'WS', title: 'Helix-Throttle' },
    cors: { origin: options.dashboardOrigin, credentials: true, methods: ['GET', 'POST'] },
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    context: (initial: YogaInitialContext & ServerContext) => ({
      role: initial.role ?? keyRing.roleOf(bearerKey(initial.request.headers.get('authorization'))),
      database: databaseOrFail(options),
    }),
  });

  const http = createHttpServer(async (request, response) => {
    try {
      if (await serveProbe(request, response, options)) return;
      await yoga.requestListener(request, response);
    } catch (error) {
      logger.error({ err: error }, 'request failed');
      if (!response.headersSent) response.writeHead(500).end();
    }
  });

  const sockets = new WebSocketServer({ server: http, path: yoga.graphqlEndpoint });
  const subscriptions = useServer<Record<string, unknown>, { role: Role }>(
    {
      onConnect: (context) => {
        const role = keyRing.roleOf(bearerKey(context.connectionParams?.authorization));
        if (!role) return false;
        context.extra.role = role;
        return true;
      },
      execute: (args) => (args.rootValue as { execute: typeof import('graphql').execute }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: typeof import('graphql').subscribe }).subscribe(args),
      onSubscribe: async (context, _id, payload) => {
        const enveloped = yoga.getEnveloped({
          req: context.extra.request,
          socket: context.extra.socket,
          params: payload,
          role: context.extra.role,
        });
        const args = {
          schema: enveloped.schema,
          operationName: payload.operationName ?? null,
          document: enveloped.parse(payload.query),
          variableValues: payload.variables ?? null,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
        const errors = enveloped.validate(args.schema, args.document);
        return errors.length > 0 ? errors : args;
      },
    },
    sockets,
  );

  return {
    http,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        http.once('error', (error: NodeJS.ErrnoException) => {
          reject(
            error.code === 'EADDRINUSE'
              ? new PortInUseError(
                  `Port ${port} on ${host} is already in use; stop the other process or choose another with PORT or --port.`,
                )
              : error,
          );
        });
        http.listen(port, host, () => resolve(http.address() as AddressInfo));
      }),
    async close() {
      // Closes every socket with 1001 Going Away and stops the WebSocket server.
      await subscriptions.dispose();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
