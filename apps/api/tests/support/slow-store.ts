import { setTimeout as sleep } from 'node:timers/promises';
import type { AnalysisRecord, ResultStore } from '../../src/pipeline/records.js';

/**
 * A result store whose analysis writes take `delayMs` each: a stand-in for a database that
 * cannot keep up, to show the producer being throttled by sink lag.
 */
export function withSlowAnalysisWrites<T extends ResultStore>(store: T, delayMs: number): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'writeAnalyses') {
        return async (rows: AnalysisRecord[]) => {
          await sleep(delayMs);
          await target.writeAnalyses(rows);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
