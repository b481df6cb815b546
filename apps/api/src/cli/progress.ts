import cliProgress from 'cli-progress';

/** A progress display for long commands; silent when stderr is not a terminal. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/**
 * A progress bar with rate and ETA on stderr when it is a terminal, nothing otherwise
 * (so logs and pipes stay clean).
 */
export function createProgress(label: string, unit: string): Progress {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const startedAt = performance.now();
  return {
    update(done, total) {
      const seconds = (performance.now() - startedAt) / 1000;
      const speed = seconds > 0 ? Math.round(done / seconds).toLocaleString('en-US') : '0';
      if (!started) {
        bar.start(total, done, { speed });
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, { speed });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
