import { parseArgs } from 'node:util';
import { UsageError } from './cli/usage-error.js';
import { loadConfigWith } from './env.js';
import { createLogger } from './logger.js';

/** Exit codes every helix command uses. */
export const ExitCode = { Success: 0, BadInput: 1, Usage: 2 } as const;

const USAGE = `usage: helix <command> [options]

commands:
  serve [--port 4000] [--host 127.0.0.1]   run the API and the pipeline
  worker [--threads N]                     a detector worker process (scale-out, needs REDIS_URL)
  simulate ...                             write a reference, simulated reads and the truth
                                           (helix simulate --help)
  analyze ...                              call variants from FASTQ against a FASTA, write VCF
                                           (helix analyze --help)
  watch RUN_DIR ...                        follow a sequencer's run folder until its end, write VCF
                                           (helix watch --help)
`;

async function runServe(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, host: { type: 'string' } }, strict: true });
  const config = loadConfigWith({
    ...(values.port !== undefined && { PORT: values.port }),
    ...(values.host !== undefined && { HOST: values.host }),
  });
  const logger = createLogger(config.logLevel, { pretty: process.stdout.isTTY });
  const { serve } = await import('./commands/serve.js');
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

/** Subcommands are loaded on demand, so each pays only for its own imports (the server's are heavy). */
const COMMANDS: Record<string, { run: (args: string[]) => Promise<void>; usage?: () => Promise<string> }> = {
  serve: { run: runServe },
  analyze: {
    run: async (args) => (await import('./commands/analyze.js')).analyze(args),
    usage: async () => (await import('./commands/analyze.js')).ANALYZE_USAGE,
  },
  worker: {
    run: async (args) => (await import('./commands/worker.js')).worker(args),
    usage: async () => (await import('./commands/worker.js')).WORKER_USAGE,
  },
  watch: {
    run: async (args) => (await import('./commands/watch.js')).watch(args),
    usage: async () => (await import('./commands/watch.js')).WATCH_USAGE,
  },
  simulate: {
    run: async (args) => (await import('./commands/simulate.js')).simulate(args),
    usage: async () => (await import('./commands/simulate.js')).SIMULATE_USAGE,
  },
};

function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
}

/** Runs a helix command line; exits with 1 on bad input and 2 on a usage error. */
export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`);
    if (command.usage && (rest.includes('--help') || rest.includes('-h'))) {
      process.stdout.write(`${await command.usage()}\n`);
      return;
    }
    await command.run(rest);
  } catch (error) {
    const message = (error as Error).message;
    if (isUsageError(error)) {
      const usage = command?.usage ? await command.usage() : USAGE;
      process.stderr.write(`helix ${name}: ${message}\n\n${usage}\n`);
      process.exit(ExitCode.Usage);
    }
    // Configuration, file and value errors (ours and the native addon's) all name what is wrong.
    process.stderr.write(`helix ${name}: ${message}\n`);
    process.exit(ExitCode.BadInput);
  }
}
