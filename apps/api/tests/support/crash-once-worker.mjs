// A pool worker that doubles numbers, and dies (as a worker hit by a fatal error would) the
// first time it is handed the number named in workerData.crashOn, unless a marker says it has.
import { existsSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

parentPort.on('message', ({ task, payload }) => {
  if (payload === workerData.crashOn && !existsSync(workerData.marker)) {
    writeFileSync(workerData.marker, 'crashed');
    process.exit(3);
  }
  parentPort.postMessage({ kind: 'result', task, result: payload * 2 });
});
parentPort.postMessage({ kind: 'ready' });
