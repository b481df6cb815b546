import type { Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Authenticator, type Caller, UnauthenticatedError } from '../auth/caller.js';
import { atExpiry } from '../auth/expiry.js';
import { HelixCloseCode } from '../pubsub/close-codes.js';
import type { Context } from '../schema/builder.js';
import type { CallerSessions } from './caller-sessions.js';
import { closeOnRevocation } from './credential-expiry.js';
import type { ServerContext } from './server-context.js';

/** A graphql-ws endpoint sharing the HTTP server's port and path. */
export interface GraphQLWebSocketEndpoint {
  /** Sockets open now. */
  readonly connections: number;
  /** Closes every socket with 1001 Going Away and stops accepting new ones. */
  dispose(): Promise<void>;
}

interface ConnectionExtra {
  caller: Caller;
}

/**
 * Serves graphql-ws (`graphql-transport-ws`) through yoga's envelop, so the same limits, masking
 * and shared subscriptions apply as over HTTP. The credential is checked once, in
 * `connection_init`: a socket without a known key or token is closed with graphql-ws's
 * `CloseCode.Forbidden`, one whose token is refused (expired, wrongly signed) with
 * {@link HelixCloseCode.Unauthenticated}, as is every socket whose token expires or whose key is
 * revoked (through `sessions`) while it is open.
 */
export function attachGraphQLWebSocket(
  http: Server,
  yoga: YogaServerInstance<ServerContext, Context>,
  authenticator: Authenticator,
  sessions: CallerSessions,
): GraphQLWebSocketEndpoint {
  const sockets = new WebSocketServer({ server: http, path: yoga.graphqlEndpoint, maxPayload: 1024 * 1024 });
  const server = useServer<Record<string, unknown>, Partial<ConnectionExtra>>(
    {
      onConnect: async (context) => {
        const { socket } = context.extra;
        let caller: Caller | undefined;
        try {
          caller = await authenticator.authenticate(context.connectionParams?.authorization);
        } catch (error) {
          if (!(error instanceof UnauthenticatedError)) throw error;
          // Closed here with the reason; graphql-ws's own close (Forbidden) that follows is ignored.
          socket.close(HelixCloseCode.Unauthenticated, `UNAUTHENTICATED: ${error.message}`.slice(0, 123));
          return false;
        }
        if (!caller) return false;
        context.extra.caller = caller;
        if (caller.expiresAt !== undefined) closeAtExpiry(socket, caller.expiresAt);
        closeOnRevocation(socket, caller.id, sessions);
        return true;
      },
      execute: (args) => (args.rootValue as Envelope).execute(args),
      subscribe: (args) => (args.rootValue as Envelope).subscribe(args),
      onSubscribe: async (context, id, payload) => {
        const enveloped = yoga.getEnveloped({
          req: context.extra.request,
          socket: context.extra.socket,
          params: payload,
          caller: context.extra.caller,
          delivery: { socket: context.extra.socket, id },
        } as never);
        let document: ReturnType<typeof enveloped.parse>;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const args: ExecutionArgs = {
          schema: enveloped.schema,
          operationName: payload.operationName ?? null,
          document,
          variableValues: payload.variables ?? null,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
        let errors: readonly GraphQLError[];
        try {
          errors = enveloped.validate(args.schema, args.document);
        } catch (error) {
          // graphql-armor's limits throw their rejection out of validation.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        return errors.length > 0 ? [...errors] : args;
      },
    },
    sockets,
  );
  return {
    get connections() {
      return sockets.clients.size;
    },
    dispose: async () => {
      await server.dispose();
    },
  };
}

/** Closes `socket` once its credential expires, ending every subscription it carries. */
function closeAtExpiry(socket: WebSocket, expiresAt: number): void {
  const cancel = atExpiry(expiresAt, () =>
    socket.close(HelixCloseCode.Unauthenticated, 'UNAUTHENTICATED: the token has expired'),
  );
  socket.once('close', cancel);
}

interface Envelope {
  execute(args: ExecutionArgs): never;
  subscribe(args: ExecutionArgs): never;
}
