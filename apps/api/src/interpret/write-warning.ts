/** One warning line for failed database writes, however often they fail. */
import type { Logger } from '../logger.js';

/** How long further write failures stay silent after one is logged. */
const WARNING_INTERVAL_MS = 10_000;

/** Logs a failed write at most once per 10 s, so a database that is down does not flood the log. */
export class WriteWarning {
  readonly #logger: Logger;
  #lastWarning = 0;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Logs `message` with the error's reason, unless another write failure was logged in the last 10 s. */
  warn(message: string, error: Error): void {
    if (Date.now() - this.#lastWarning < WARNING_INTERVAL_MS) return;
    this.#lastWarning = Date.now();
    this.#logger.warn({ reason: error.message }, message);
  }
}
