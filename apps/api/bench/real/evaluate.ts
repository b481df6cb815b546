import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Caller, helix } from './callers.js';
import type { PreparedDataSet } from './datasets.js';
import { compare } from './match.js';
import { type Score, scoreComparison } from './score.js';
import { readVcfCalls } from './vcf-calls.js';

/** One caller's run on one data set. */
export interface CallerResult {
  caller: string;
  seconds: number;
  readsPerSecond: number;
  score: Score;
}

/** helix and each of the data set's peers on the same reads, one after the other, each scored. */
export async function evaluate(dataSet: PreparedDataSet, workDirectory: string): Promise<CallerResult[]> {
  const reference = new Map(dataSet.contigs.map((contig) => [contig.name, contig]));
  const results: CallerResult[] = [];
  for (const [index, caller] of [helix, ...dataSet.peers].entries()) {
    results.push(await evaluateOne(caller, dataSet, join(workDirectory, `caller-${index}`), reference));
  }
  return results;
}

async function evaluateOne(
  caller: Caller,
  dataSet: PreparedDataSet,
  workDirectory: string,
  reference: Parameters<typeof readVcfCalls>[1],
): Promise<CallerResult> {
  await mkdir(workDirectory, { recursive: true });
  const { vcfPath, seconds } = await caller.run({
    referencePath: dataSet.referencePath,
    circular: dataSet.contigs.filter((contig) => contig.circular).map((contig) => contig.name),
    reads: dataSet.reads,
    workDirectory,
  });
  const calls = await readVcfCalls(vcfPath, reference);
  return {
    caller: caller.name,
    seconds,
    readsPerSecond: dataSet.readCount / seconds,
    score: scoreComparison(compare(dataSet.expected, calls, dataSet.contigs)),
  };
}
