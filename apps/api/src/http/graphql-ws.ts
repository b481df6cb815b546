import type { Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { bearerKey, type KeyRing } from '../auth/keys.js';
import type { Role } from '../env.js';
import type { Context } from '../schema/builder.js';
import { callerIdOf, type ServerContext } from './server-context.js';

/** A graphql-ws endpoint sharing the HTTP server's port and path. */
export interface GraphQLWebSocketEndpoint {
  /** Sockets open now. */
  readonly connections: number;
  /** Closes every socket with 1001 Going Away and stops accepting new ones. */
  dispose(): Promise<void>;
}

interface ConnectionExtra {
  role: Role;
  callerId: string;
}

/**
 * Serves graphql-ws (`graphql-transport-ws`) through yoga's envelop, so the same limits, masking
 * and shared subscriptions apply as over HTTP. The key is checked once, in `connection_init`; a
 * socket without a valid key is closed with graphql-ws's `CloseCode.Forbidden`.
 */
export function attachGraphQLWebSocket(
  http: Server,
  yoga: YogaServerInstance<ServerContext, Context>,
  keyRing: KeyRing,
): GraphQLWebSocketEndpoint {
  const sockets = new WebSocketServer({ server: http, path: yoga.graphqlEndpoint, maxPayload: 1024 * 1024 });
  const server = useServer<Record<string, unknown>, Partial<ConnectionExtra>>(
    {
      onConnect: (context) => {
        const key = bearerKey(context.connectionParams?.authorization);
        const role = keyRing.roleOf(key);
        if (!role) return false;
        context.extra.role = role;
        context.extra.callerId = callerIdOf(key, context.extra.request.socket.remoteAddress);
        return true;
      },
      execute: (args) => (args.rootValue as Envelope).execute(args),
      subscribe: (args) => (args.rootValue as Envelope).subscribe(args),
      onSubscribe: async (context, id, payload) => {
        const enveloped = yoga.getEnveloped({
          req: context.extra.request,
          socket: context.extra.socket,
          params: payload,
          role: context.extra.role,
          callerId: context.extra.callerId,
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

interface Envelope {
  execute(args: ExecutionArgs): never;
  subscribe(args: ExecutionArgs): never;
}
