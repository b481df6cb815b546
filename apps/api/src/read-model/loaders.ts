import DataLoader from 'dataloader';
import type { ReadModel } from './read-model.js';
import type { RunRow } from './rows.js';
import type { SampleRow } from './samples.js';
import { isUuid } from './sql.js';
import type { RunWarningRow } from './warnings.js';

/** Batching loaders of one request: every `run` asked for in one tick costs one query. */
export interface Loaders {
  run: DataLoader<string, RunRow | null>;
  /** The samples of a run, by run id. */
  samples: DataLoader<string, SampleRow[]>;
  /** The latest warnings of a run, by run id. */
  warnings: DataLoader<string, RunWarningRow[]>;
}

/** Creates the loaders of one request (or of one subscription event: they cache what they load). */
export function createLoaders(reads: ReadModel): Loaders {
  return {
    run: new DataLoader<string, RunRow | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const found = valid.length > 0 ? await reads.runsById(valid) : [];
      const byId = new Map(valid.map((id, index) => [id, found[index] ?? null]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    samples: new DataLoader<string, SampleRow[]>((runIds) => reads.samplesOfRuns(runIds)),
    warnings: new DataLoader<string, RunWarningRow[]>((runIds) => reads.warningsOfRuns(runIds)),
  };
}
