import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PreparedDataSet } from '../../bench/real/datasets.js';
import { type CallerResult, evaluate } from '../../bench/real/evaluate.js';
import { formatResults } from '../../bench/real/report.js';
import type { Score } from '../../bench/real/score.js';

/** helix and the peers measured on one data set, as the tests read them. */
export interface Measurement {
  dataSet: PreparedDataSet;
  results: CallerResult[];
  helix: Score;
  /** The score of the peer whose name starts with `name` (e.g. `bowtie2`, `minimap2`). */
  peer(name: string): Score;
  /** The whole comparison as text, for assertion messages. */
  report: string;
}

/**
 * Prepares a data set in a scratch folder, runs helix and its peers on it and scores them; the
 * folder is removed when `dispose` runs. Throws (so the tests fail, not skip) when the data is missing.
 */
export async function measure(
  prepare: (workDirectory: string) => Promise<PreparedDataSet>,
): Promise<Measurement & { dispose(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'helix-real-'));
  try {
    const dataSet = await prepare(directory);
    const results = await evaluate(dataSet, directory);
    const report = formatResults(dataSet, results);
    console.log(report);
    const scoreOf = (name: string) => {
      const result = results.find((candidate) => candidate.caller.startsWith(name));
      if (!result) throw new Error(`no result for ${name}:\n${report}`);
      return result.score;
    };
    return {
      dataSet,
      results,
      helix: scoreOf('helix'),
      peer: scoreOf,
      report,
      dispose: () => rm(directory, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}
