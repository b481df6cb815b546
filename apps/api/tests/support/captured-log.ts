import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../src/logger.js';

/** A debug logger and everything it wrote. */
export interface CapturedLog {
  logger: Logger;
  /** All the output so far. */
  text(): string;
  /** The JSON lines so far that contain `marker`, parsed. */
  lines<T>(marker: string): T[];
}

/**
 * A plain pino logger, without the project's redaction, so nothing could hide a leaked key; its
 * output is kept for the test to read.
 */
export function capturedLog(): CapturedLog {
  const output: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _encoding, done) {
        output.push(String(chunk));
        done();
      },
    }),
  );
  const text = () => output.join('');
  return {
    logger,
    text,
    lines: <T>(marker: string) =>
      text()
        .split('\n')
        .filter((line) => line.includes(marker))
        .map((line) => JSON.parse(line) as T),
  };
}
