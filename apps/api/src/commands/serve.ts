import { createKeyRing, loadKeys } from '../auth/keys.js';
import { type Database, openDatabase } from '../db/database.js';
import type { Config } from '../env.js';
import type { Logger } from '../logger.js';
import { createApiServer } from '../server.js';

/** A running `helix serve`: stop it to shut everything down in order. */
export interface RunningService {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the API: listens first (so /health answers and /ready says 503 while the database is
 * still coming up), then connects to the database with backoff and applies migrations.
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
  let database: Database | undefined;
  const server = createApiServer({
    logger,
    keyRing: createKeyRing(keys),
    database: () => database,
    dashboardOrigin: config.dashboardOrigin,
  });
  const address = await server.listen(config.port, config.host);
  const url = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}/graphql`;
  logger.info({ url }, 'API listening');
  let stopping = false;
  const connecting = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger }).then(
    (opened) => {
      if (stopping) return opened.close();
      database = opened;
      logger.info('database ready');
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
      await server.close();
      await database?.close();
    },
  };
}
