/**
 * A detector thread: maps each batch it is sent against the shared alignment index and returns
 * the batch's mutation evidence. Started by {@link DetectorPool}; never imported directly.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AlignerIndex, Detector } from '@helix/native';
import type { DetectionJob, DetectionResult, DetectorWorkerData } from './detector.js';
import type { WorkerReply } from './worker-pool.js';

const port = parentPort;
if (!port) throw new Error('detector-worker.ts runs only as a worker thread');

const data = workerData as DetectorWorkerData;
const detector = new Detector(AlignerIndex.fromHandle(data.indexHandle), data.options);

port.on('message', ({ task, payload }: { task: number; payload: DetectionJob }) => {
  try {
    const started = performance.now();
    const detection = detector.analyse(payload.bases, payload.qualities, payload.offsets, payload.paired);
    const result: DetectionResult = {
      reads: detection.reads,
      mappedReads: detection.mappedReads,
      properlyPairedReads: detection.properlyPairedReads,
      mutatedReads: detection.mutatedReads,
      mutationsFound: detection.mismatches + detection.insertions + detection.deletions,
      evidence: detection.evidence,
      processingTimeMs: performance.now() - started,
    };
    const reply: WorkerReply<DetectionResult> = { kind: 'result', task, result };
    port.postMessage(reply, [detection.evidence.buffer as ArrayBuffer]);
  } catch (error) {
    const reply: WorkerReply<DetectionResult> = { kind: 'failed', task, message: (error as Error).message };
    port.postMessage(reply);
  }
});

port.postMessage({ kind: 'ready' } satisfies WorkerReply<DetectionResult>);
