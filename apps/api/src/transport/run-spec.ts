import { Reference } from '@helix/native';
import type { Redis } from 'ioredis';
import type { RunConfig } from '../pipeline/config.js';
import { randomReference, runCircularContigs } from '../pipeline/run-inputs.js';
import type { StreamKeys } from './stream-keys.js';

/** How long a finished run's spec stays, for batches still being reclaimed. */
const FINISHED_SPEC_TTL_SECONDS = 3_600;

/** A run's reference as a worker rebuilds it, with the contigs its index joins across their origin. */
export interface RunReference {
  reference: Reference;
  circular: string[];
  /** The file the run read its reference from: its saved index is used when this machine sees the same file. */
  referencePath: string | undefined;
}

/**
 * Makes a run's reference available to worker processes on any machine: a random reference as
 * its length and seed (rebuilt identically), a FASTA reference as its sequences; and the names
 * of its circular contigs (a GenBank reference's own included), so mates map across the origin.
 */
export async function publishRunSpec(
  redis: Redis,
  keys: StreamKeys,
  run: { runId: string; config: RunConfig; reference: Reference },
): Promise<void> {
  const circular = await runCircularContigs(run.config);
  const fields: (string | Buffer)[] = ['config', JSON.stringify(run.config), 'circular', JSON.stringify(circular)];
  if (run.config.referencePath) {
    const parts: Buffer[] = [];
    run.reference.contigs.forEach((contig, index) => {
      parts.push(Buffer.from(`>${contig.name}\n`), run.reference.sequence(index), Buffer.from('\n'));
    });
    fields.push('fasta', Buffer.concat(parts));
  }
  await redis.hset(keys.runSpec(run.runId), ...fields);
}

/** Lets a finished run's spec expire (late redeliveries can still be recognised for a while). */
export async function retireRunSpec(redis: Redis, keys: StreamKeys, runId: string): Promise<void> {
  await redis.expire(keys.runSpec(runId), FINISHED_SPEC_TTL_SECONDS);
}

/** The reference of a run as its owner published it, or undefined when the run is gone. */
export async function loadRunReference(
  redis: Redis,
  keys: StreamKeys,
  runId: string,
): Promise<RunReference | undefined> {
  const [config, fasta, circular] = await redis.hmgetBuffer(keys.runSpec(runId), 'config', 'fasta', 'circular');
  if (!config) return undefined;
  const { referenceLength, seed, referencePath } = JSON.parse(config.toString()) as Pick<
    RunConfig,
    'referenceLength' | 'seed' | 'referencePath'
  >;
  const reference = fasta
    ? Reference.parseFasta(fasta, `reference of run ${runId}`)
    : randomReference({ referenceLength, seed });
  // A spec published before specs carried circular contigs names none.
  return { reference, circular: circular ? (JSON.parse(circular.toString()) as string[]) : [], referencePath };
}
