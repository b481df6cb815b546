import { parseArgs } from 'node:util';
import { serve } from './commands/serve.js';
import { ConfigError, loadConfig } from './env.js';
import { createLogger } from './logger.js';

/** Exit codes every helix command uses. */
export const ExitCode = { Success: 0, BadInput: 1, Usage: 2 } as const;

const USAGE = `usage: helix <command> [options]

commands:
  serve [--port 4000] [--host 127.0.0.1]   run the API and the pipeline
`;

/** Thrown for a command line that cannot be understood; exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

async function runServe(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' } }, strict: true });
  const config = loadConfig({
    ...process.env,
    ...(values.port !== undefined && { PORT: values.port }),
    ...(values.host !== undefined && { HOST: values.host }),
  });
  const logger = createLogger(config.logLevel, { pretty: process.stdout.isTTY });
  const service = await serve(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    service.stop().then(
      () => process.exit(process.exitCode ?? 0),
      (error: Error) => {
        logger.error({ reason: error.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/** Runs a helix command line and resolves when it has started (or finished). */
export async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await runServe(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`helix: ${(error as Error).message}\n\n${USAGE}`);
      process.exit(ExitCode.Usage);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`helix: ${error.message}\n`);
      process.exit(ExitCode.BadInput);
    }
    process.stderr.write(`helix: ${(error as Error).message}\n`);
    process.exit(ExitCode.BadInput);
  }
}
