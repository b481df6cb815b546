import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import { type CredentialSource, createAuthenticator } from './auth/caller.js';
import { KeyAdministration } from './auth/key-administration.js';
import { type KeyRing, keyRingSource } from './auth/keys.js';
import { StoredKeySource, storedKeyCallerId } from './auth/stored-keys.js';
import { ConcernAlarm } from './concern/alarm.js';
import { MutationsOfConcern } from './concern/list.js';
import type { Database } from './db/database.js';
import { useAuditLog } from './http/audit-log.js';
import { BodyTooLargeError, readBodyWithin } from './http/body-limit.js';
import { CallerSessions } from './http/caller-sessions.js';
import { serveConcernTsv } from './http/concern-route.js';
import { useCredentialExpiry } from './http/credential-expiry.js';
import { type DrainOutcome, HttpDrain } from './http/drain.js';
import { serveGenomeDownload } from './http/genome-routes.js';
import { attachGraphQLWebSocket } from './http/graphql-ws.js';
import { type ApiLimits, DEFAULT_LIMITS, limitPlugins } from './http/limits.js';
import { type ApiMetrics, createApiMetrics } from './http/prometheus.js';
import { useQueryJit } from './http/query-jit.js';
import { TokenBuckets, useMutationRateLimit } from './http/rate-limit.js';
import { useRequestDuration } from './http/request-metrics.js';
import { ResponseCache, useResponseCache } from './http/response-cache.js';
import { authenticateRequest, callerIdOf, type ServerContext } from './http/server-context.js';
import { serveVcf } from './http/vcf-route.js';
import type { InterpretationMetrics } from './interpret/metrics.js';
import type { Logger } from './logger.js';
import type { PipelineControl } from './pipeline/control.js';
import type { HelixPubSub } from './pubsub/events.js';
import { type SharedSubscriptionOptions, SharedSubscriptions } from './pubsub/shared-subscriptions.js';
import { createLoaders } from './read-model/loaders.js';
import { ReadModel } from './read-model/read-model.js';
import type { Context } from './schema/builder.js';
import { ErrorCode } from './schema/errors.js';
import { schema } from './schema/index.js';

/** The services the API serves once the database is ready. */
export interface ApiServices {
  database: Database;
  pipeline: PipelineControl;
  /** Counters of the interpretation service (rules and model). */
  interpretationMetrics: () => InterpretationMetrics;
}

/** What the HTTP server needs from the rest of the process. */
export interface ServerOptions {
  logger: Logger;
  keyRing: KeyRing;
  /** Where credentials other than the configured and stored keys are checked, after them (an OIDC issuer). */
  credentialSources?: CredentialSource[];
  /** The database and pipeline once they are ready; undefined while start-up is still trying. */
  services: () => ApiServices | undefined;
  /** The pubsub the pipeline publishes to. */
  pubsub: HelixPubSub;
  /** Origin allowed to call the API from a browser (the dashboard). */
  dashboardOrigin: string;
  /** The only directory whose files a client may name. */
  inputDir: string;
  limits?: Partial<ApiLimits>;
  /** Cache answers of queries over finished runs (default true). */
  responseCache?: boolean;
  /** Bounds on what a subscriber that stops reading may hold (defaults in SharedSubscriptions). */
  subscriberBuffers?: Pick<SharedSubscriptionOptions, 'socketSoftLimitBytes' | 'socketHardLimitBytes' | 'bufferSize'>;
}

/** A running API server. */
export interface ApiServer {
  http: Server;
  metrics: ApiMetrics;
  subscriptions: SharedSubscriptions;
  /** The distinct alarm of calls that match a mutation of concern: give it to the pipeline bridge. */
  concernAlarm: ConcernAlarm;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Forgets cached answers and totals about a run whose stored data changed. */
  invalidateRun(runId: string): void;
  /**
   * Begins a graceful shutdown: /ready answers 503, graphql-ws sockets are closed with 1001 Going
   * Away, HTTP subscription streams end, and requests in flight may finish within `timeoutMs`.
   * The listener stays open (probes still answer) until {@link close}.
   */
  drain(timeoutMs: number): Promise<DrainOutcome>;
  /** Closes the listener and whatever connections are still open. */
  close(): Promise<void>;
}

/** Raised when the listen address is taken; its message says what to do. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

function servicesOrFail(options: ServerOptions): ApiServices {
  const services = options.services();
  if (!services) {
    throw new GraphQLError('The database is not ready yet; try again shortly.', {
      extensions: { code: ErrorCode.ServiceUnavailable, http: { status: 503 } },
    });
  }
  return services;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    .end(JSON.stringify(body));
}

/**
 * Builds the API server: GraphQL over HTTP (with SSE subscriptions) and graphql-ws on the same
 * port and path, GraphiQL with bundled assets, the VCF download, Prometheus metrics and the
 * /health and /ready probes.
 */
export function createApiServer(options: ServerOptions): ApiServer {
  const { logger, keyRing } = options;
  const storedKeys = new StoredKeySource({ pool: () => options.services()?.database.pool, logger });
  const authenticator = createAuthenticator([keyRingSource(keyRing), storedKeys, ...(options.credentialSources ?? [])]);
  const sessions = new CallerSessions();
  const endKey = (keyId: string) => {
    storedKeys.forget(keyId);
    sessions.endAll(storedKeyCallerId(keyId));
  };
  // Revoked here at once; the shared pubsub tells the other replicas (and echoes back, harmlessly).
  const keyChanges = {
    logger,
    revoked: (keyId: string) => {
      endKey(keyId);
      options.pubsub.publish('apiKeyRevoked', keyId);
    },
  };
  const revocations = options.pubsub.subscribe('apiKeyRevoked');
  void (async () => {
    for await (const keyId of revocations) endKey(keyId);
  })();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  let readModel: { database: Database; reads: ReadModel } | undefined;
  const readsFor = (database: Database) => {
    if (readModel?.database !== database) readModel = { database, reads: new ReadModel(database.pool) };
    return readModel.reads;
  };
  const cache = new ResponseCache();
  const drain = new HttpDrain();
  let webSockets: { connections: number } = { connections: 0 };
  const subscriptions = new SharedSubscriptions({
    eventContext: (base) => ({ ...(base as Context), loaders: createLoaders((base as Context).reads) }),
    partition: (context) => (context as Context).role ?? 'anonymous',
    delivery: (context) => (context as Context).delivery,
    maskError: (error) => maskError(error, 'Unexpected error.') as GraphQLError,
    droppable: new Set(['queueMetrics']),
    replayLatest: new Set(['pipelineStatus']),
    onDrop: (reason) => metrics.subscriptionDrops.inc({ reason }),
    ...options.subscriberBuffers,
  });
  const metrics = createApiMetrics({
    pipeline: () => options.services()?.pipeline,
    subscriptions,
    webSockets: () => webSockets.connections,
    cacheEntries: () => cache.size,
    databaseReady: async () => (await options.services()?.database.isReady()) ?? false,
  });
  metrics.follow(options.pubsub);
  const concerns = new MutationsOfConcern({ pool: () => options.services()?.database.pool });
  const concernAlarm = new ConcernAlarm({
    concerns,
    logger,
    detected: (entry) =>
      metrics.mutationsOfConcernDetected.inc({ gene: entry.gene, amino_acid_change: entry.aminoAcidChange }),
  });

  const plugins: Plugin[] = [
    useCSRFPrevention(),
    useAuditLog(logger) as Plugin,
    useCredentialExpiry(sessions) as Plugin,
    ...limitPlugins(limits),
    useRequestDuration(metrics.graphqlDuration),
    useMutationRateLimit(
      new TokenBuckets(limits.mutationBurst, limits.mutationsPerMinute),
      limits.mutationsPerMinute,
    ) as Plugin,
    ...(options.responseCache === false ? [] : [useResponseCache(cache, metrics.cache) as Plugin]),
    useQueryJit(),
    subscriptions.plugin(),
  ];

  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    renderGraphiQL,
    graphiql: { subscriptionsProtocol: 'WS', title: 'Helix-Throttle' },
    landingPage: false,
    // The body is read and limited before yoga sees it (route below), without a stream per request.
    maxRequestBodySize: false,
    plugins,
    cors: (request) =>
      request.headers.get('origin') === options.dashboardOrigin
        ? {
            origin: options.dashboardOrigin,
            credentials: false,
            methods: ['GET', 'POST'],
            allowedHeaders: ['authorization', 'content-type', 'accept', 'x-graphql-yoga-csrf'],
          }
        : false,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    context: async (initial: YogaInitialContext & ServerContext): Promise<Context> => {
      const { database, pipeline, interpretationMetrics } = servicesOrFail(options);
      const reads = readsFor(database);
      const caller =
        initial.caller ?? (await authenticateRequest(authenticator, initial.request.headers.get('authorization')));
      return {
        role: caller?.role,
        caller,
        callerId: callerIdOf(caller, initial.req?.socket.remoteAddress),
        database,
        pipeline,
        interpretationMetrics,
        pubsub: options.pubsub,
        reads,
        loaders: createLoaders(reads),
        inputDir: options.inputDir,
        keys: new KeyAdministration(database.pool, keyChanges),
        concerns,
        ...(initial.delivery && { delivery: initial.delivery }),
      };
    },
  });

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/health') return sendJson(response, 200, { status: 'ok' });
    if (path === '/ready') {
      if (drain.draining) return sendJson(response, 503, { status: 'draining' });
      const ready = (await options.services()?.database.isReady()) ?? false;
      return sendJson(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
    }
    if (path === '/metrics') {
      const text = await metrics.registry.metrics();
      response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      return;
    }
    const database = options.services()?.database;
    const vcf = {
      authenticator,
      reads: () => (database ? readsFor(database) : undefined),
      dashboardOrigin: options.dashboardOrigin,
    };
    if (await serveVcf(request, response, vcf)) return;
    const genome = { ...vcf, pipeline: () => options.services()?.pipeline };
    if (await serveGenomeDownload(request, response, genome)) return;
    const concernTsv = {
      authenticator,
      concerns,
      logger,
      maxBodyBytes: limits.maxBodyBytes,
      dashboardOrigin: options.dashboardOrigin,
    };
    if (await serveConcernTsv(request, response, concernTsv)) return;
    if (request.method === 'POST') {
      try {
        const body = await readBodyWithin(request, limits.maxBodyBytes);
        // @whatwg-node/server takes an already-read body from here instead of the stream.
        if (body.length > 0) (request as IncomingMessage & { body?: Buffer }).body = body;
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        return sendJson(response, 413, { errors: [{ message: error.message }] }, { connection: 'close' });
      }
    }
    await yoga.requestListener(request, response);
  };

  const http = createHttpServer((request, response) => {
    drain.track(response);
    route(request, response).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  const endpoint = attachGraphQLWebSocket(http, yoga, authenticator, sessions);
  webSockets = endpoint;
  let socketsClosed: Promise<void> | undefined;
  // Closes every socket with 1001 Going Away and stops the WebSocket server, once.
  const closeSockets = () => {
    socketsClosed ??= endpoint.dispose();
    return socketsClosed;
  };

  return {
    http,
    metrics,
    subscriptions,
    concernAlarm,
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
    invalidateRun(runId) {
      cache.invalidateRun(runId);
      readModel?.reads.invalidateRun(runId);
    },
    async drain(timeoutMs) {
      const outcome = drain.drain(timeoutMs);
      await closeSockets();
      return outcome;
    },
    async close() {
      metrics.close();
      await revocations.return?.();
      await closeSockets();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
