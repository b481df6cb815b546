import { spawn } from 'node:child_process';

/** Runs a shell pipeline (bash, pipefail) and resolves with its wall time in seconds; rejects with its stderr. */
export function timedShell(script: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve((performance.now() - started) / 1_000)
        : reject(new Error(`exit ${code}: ${script}\n${stderr}`)),
    );
  });
}

/** Quotes a path for bash. */
export function quote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}
