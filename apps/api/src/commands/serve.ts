import { createKeyRing, loadKeys } from '../auth/keys.js';
import { createOidcSource } from '../auth/oidc.js';
import { type Database, openDatabase } from '../db/database.js';
import { PostgresResultStore } from '../db/result-store.js';
import type { Config } from '../env.js';
import { RunReferenceContext } from '../interpret/reference-context.js';
import { createInterpretationService, type InterpretationService } from '../interpret/service.js';
import type { Logger } from '../logger.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { resumeInterruptedRun } from '../pipeline/resume.js';
import { createHelixPubSub, type HelixPubSub } from '../pubsub/events.js';
import { bridgePipeline, combineObservers } from '../pubsub/pipeline-bridge.js';
import { type ApiServices, createApiServer } from '../server.js';
import { connectScaleOut } from '../transport/scale-out.js';

/** A running `helix serve`: stop it to shut everything down in order. */
export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the API: listens first (so /health answers and /ready says 503 while the database is
 * still coming up), then connects to the database with backoff, applies migrations and creates
 * the pipeline, whose news reaches subscribers through the pubsub and whose confirmed variants
 * the interpretation service interprets. Stops gracefully, in order: /ready turns 503, graphql-ws
 * clients are sent elsewhere (1001) and HTTP requests in flight finish (within the drain timeout);
 * then the run this replica owns is stopped with a drain (every batch produced is analysed and
 * stored once), and the listener, the interpreter and the database close.
 */
export async function serve(config: Config, logger: Logger): Promise<RunningService> {
  const { keys, generatedOperatorKey } = await loadKeys(config.apiKeys, config.dataDir);
  if (generatedOperatorKey) {
    // Printed once, on the terminal only, never through the logger.
    process.stderr.write(
      `\nCreated an operator key (kept in ${config.dataDir}/operator-key):\n\n  ${generatedOperatorKey}\n\n` +
        'Send it as "Authorization: Bearer <key>". Set HELIX_API_KEYS to manage keys yourself.\n\n',
    );
  }
  let services: ApiServices | undefined;
  // Scale-out first: an unreachable Redis is a start-up error, like a port in use.
  const scaleOut = config.redisUrl ? await connectScaleOut(config.redisUrl, logger) : undefined;
  const pubsub = scaleOut?.pubsub ?? createHelixPubSub();
  const server = createApiServer({
    logger,
    keyRing: createKeyRing(keys),
    credentialSources: config.oidc ? [createOidcSource(config.oidc)] : [],
    services: () => services,
    pubsub,
    dashboardOrigin: config.dashboardOrigin,
    inputDir: config.inputDir,
  });
  // Cached answers about a run go at once here and, through the shared pubsub, at every replica.
  const runChanged = (runId: string) => {
    server.invalidateRun(runId);
    if (scaleOut) pubsub.publish('runChanged', runId);
  };
  if (scaleOut) void followRunChanges(pubsub, (runId) => server.invalidateRun(runId));
  const bridge = bridgePipeline({ pubsub, logger, onRunChanged: runChanged, concernAlarm: server.concernAlarm });
  const address = await server.listen(config.port, config.host);
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}/graphql`;
  logger.info({ url }, 'API listening');
  let stopping = false;
  let database: Database | undefined;
  let interpretation: InterpretationService | undefined;
  let localPipeline: Pipeline | undefined;
  const connecting = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger }).then(
    async (opened) => {
      if (stopping) return opened.close();
      database = opened;
      // The bridge logs the "mutation detected" alarm; the interpreter only interprets.
      interpretation = createInterpretationService({ pool: opened.pool, logger, config, logAlarm: false });
      interpretation.onInterpreted((event) => runChanged(event.runId));
      server.metrics.followInterpretation(interpretation);
      const interpreter = interpretation;
      const store = new PostgresResultStore(opened.pool);
      const pipeline: Pipeline = new Pipeline({
        store,
        folders: { inputDir: config.inputDir, settleMs: config.watchSettleMs },
        ...(config.indexDir !== undefined && { indexDir: config.indexDir }),
        ...(scaleOut && {
          createDetectors: scaleOut.detectors((sequence, reason) => {
            server.metrics.deadLetters.inc();
            logger.error({ sequence, reason }, 'a worker gave up on a batch; the run fails');
          }),
        }),
        observer: combineObservers(bridge.observer, interpretation.observer, {
          // The interpreter reads context around calls from the live run's reference, not a rebuilt one.
          status(change) {
            const run = pipeline.run;
            if (run && change.state === 'RUNNING' && run.id === change.runId) {
              if (interpreter.referenceContext instanceof RunReferenceContext) {
                interpreter.referenceContext.attach(run.id, run.reference);
              }
            }
          },
        }),
      });
      localPipeline = pipeline;
      const control = scaleOut ? await scaleOut.cluster(pipeline) : pipeline;
      bridge.attach(control);
      services = { database: opened, pipeline: control, interpretationMetrics: () => interpreter.metrics() };
      await interpretation.start();
      logger.info({ interpreter: interpretation.model ?? 'rules' }, 'database ready');
      // With scale-out the run's lease decides who owns it; a single process takes its run up itself.
      if (!scaleOut) await resumeRun(pipeline, store, logger);
    },
  );
  connecting.catch((error: Error) => {
    logger.fatal({ reason: error.message }, 'database could not be opened');
    process.exitCode = 1;
    process.kill(process.pid, 'SIGTERM');
  });
  return {
    url,
    async stop() {
      stopping = true;
      const timeoutMs = config.drainTimeoutMs;
      logger.info({ timeoutMs }, 'draining: /ready answers 503, subscribers are sent elsewhere');
      if ((await server.drain(timeoutMs)) === 'timed-out') {
        logger.warn({ timeoutMs }, 'requests still in flight after the drain timeout are cut');
      }
      // The run's producer state lives in this process, so it is stopped here rather than handed over.
      if (localPipeline?.run) {
        logger.info({ runId: localPipeline.run.id }, 'stopping the run (draining)');
        await localPipeline
          .suspend()
          .catch((error: Error) => logger.error({ reason: error.message }, 'run did not stop cleanly'));
      }
      await server.close();
      await interpretation?.stop();
      bridge.close();
      await scaleOut?.close();
      await database?.close();
    },
  };
}

/** Takes up the DIRECTORY run an earlier process left going; a failure is logged, the server stays up. */
async function resumeRun(pipeline: Pipeline, store: PostgresResultStore, logger: Logger): Promise<void> {
  try {
    const { resumed, leftAlone } = await resumeInterruptedRun(pipeline, store);
    if (resumed) logger.info({ runId: resumed.id }, 'resumed the run an earlier process left going');
    if (leftAlone.length > 0) logger.warn({ runIds: leftAlone }, 'older interrupted runs are left RUNNING');
  } catch (error) {
    logger.error({ reason: (error as Error).message }, 'the interrupted run could not be resumed');
  }
}

/** Calls `invalidate` for every run another replica reports changed. */
async function followRunChanges(pubsub: HelixPubSub, invalidate: (runId: string) => void): Promise<void> {
  for await (const runId of pubsub.subscribe('runChanged')) invalidate(runId);
}
