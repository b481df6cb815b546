import { type AlignerIndex, Producer } from '@helix/native';
import { createDetectorThreads, type DetectionResult, type DetectorWarning } from './detector.js';

/**
 * A file a run had ended with reads before a restart — DONE, or FAILED after some reads: its
 * reads are counted, its evidence is not in any pileup.
 */
export interface DoneFile {
  /** One file, or the R1 and R2 mates. */
  paths: readonly string[];
  sample: string;
  /** The reads its ledger row counted: replay stops there (a FAILED file's fault lies just after). */
  reads: number;
  /** When it arrived, as its ledger row kept it when taken: what calls its reads tip carry. */
  arrivedAt: Date;
}

/** How a resumed run reads its DONE files again: as it first read them, batch for batch. */
export interface ReplayOptions {
  index: AlignerIndex;
  batchSize: number;
  workers: number | undefined;
  warning: DetectorWarning;
}

/**
 * Reads the files a resumed run had counted again, with detector threads of its own, and hands
 * each batch's result to `replayed` — so the run's pileups (calls, mapped reads, depth) hold every
 * read analysed before the restart, though its read totals and file ledger count them only once.
 * Files are read with the run's batch size and pairing, so the evidence is what the first reading
 * gave, and each only up to the reads its ledger row counted. Never rejects: a file that can no
 * longer be read that far is warned of, and the rest go on.
 */
export async function replayDoneFiles(
  files: readonly DoneFile[],
  options: ReplayOptions,
  replayed: (sample: string, result: DetectionResult, arrivedAt: Date) => void,
): Promise<void> {
  if (files.length === 0) return;
  const detectors = createDetectorThreads(options.index, { workers: options.workers, warning: options.warning });
  try {
    await detectors.ready();
    let sequence = 0;
    for (const file of files) {
      const producer = Producer.fastq([...file.paths], {
        paired: file.paths.length === 2,
        batchSize: options.batchSize,
      });
      const pending = new Set<Promise<void>>();
      let failure: Error | undefined;
      let replayedReads = 0;
      try {
        for (let batch = await producer.next(); batch; batch = await producer.next()) {
          replayedReads += batch.reads;
          const { reads, bases, qualities, offsets, paired } = batch;
          const analysed = detectors
            .analyse({ sequence: sequence++, reads, bases, qualities, offsets, paired })
            .then((result) => replayed(file.sample, result, file.arrivedAt))
            .catch((error: Error) => {
              failure ??= error;
            })
            .finally(() => pending.delete(analysed));
          pending.add(analysed);
          if (pending.size >= detectors.size) await Promise.race(pending);
          if (replayedReads >= file.reads) break;
        }
      } catch (error) {
        failure ??= error as Error;
      } finally {
        producer.close();
        await Promise.all(pending);
      }
      if (failure) {
        options.warning(
          'a file counted before the restart could not be read again; its calls are missing from the run',
          {
            path: file.paths[0],
            reason: failure.message,
          },
        );
      } else if (replayedReads !== file.reads) {
        options.warning('a file counted before the restart holds other reads now; its calls are rebuilt from them', {
          path: file.paths[0],
          readsCounted: file.reads,
          readsReplayed: replayedReads,
        });
      }
    }
  } finally {
    await detectors.close();
  }
}
