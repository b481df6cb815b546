import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The closing line of .ci/run, counted by scripts/ci-summary.mjs from a real vitest run's log and JSON report.
const summaryScript = fileURLToPath(new URL('../../../scripts/ci-summary.mjs', import.meta.url));
const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

const FILES: Record<string, string> = {
  'vitest.config.mjs': "export default { test: { include: ['*.test.mjs'], globals: true } };",
  'passes.test.mjs': "it('passes', () => expect(1).toBe(1));\nit.skip('is skipped', () => undefined);",
  'fails.test.mjs': "it('fails on purpose', () => expect(1).toBe(2));",
  'broken-import.test.mjs': "import { nothing } from './missing.mjs';\nit('never runs', () => nothing());",
  'failing-hook.test.mjs': "beforeAll(() => { throw new Error('hook fails'); });\nit('never runs', () => undefined);",
};

describe('the CI summary', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'helix-ci-summary-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  /** Runs vitest on `files` as .ci/run does, then the summary over its log; returns the summary's last line and exit code. */
  async function summarise(files: string[], extraLog = ''): Promise<{ line: string; status: number | null }> {
    for (const name of ['vitest.config.mjs', ...files]) await writeFile(join(directory, name), FILES[name] as string);
    const vitest = spawnSync(
      process.execPath,
      [vitestBin, 'run', '--root', directory, '--reporter=default', '--reporter=json', '--outputFile.json=report.json'],
      { encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    const log = join(directory, 'test.log');
    await writeFile(log, `${vitest.stdout}${vitest.stderr}${extraLog}`);
    const summary = spawnSync(process.execPath, [summaryScript, '--step', 'npm test', String(vitest.status), log], {
      encoding: 'utf8',
    });
    return { line: summary.stdout.trim().split('\n').at(-1) ?? '', status: summary.status };
  }

  it('should count passing and skipped tests and exit 0 when nothing failed', async () => {
    expect(await summarise(['passes.test.mjs'])).toEqual({
      line: '1 passed, 0 failed, 1 skipped, 0 ignored',
      status: 0,
    });
  });

  it('should count a failed test, a file that does not load and a failed hook as one failure each', async () => {
    expect(await summarise(['passes.test.mjs', 'fails.test.mjs'])).toEqual({
      line: '1 passed, 1 failed, 1 skipped, 0 ignored',
      status: 1,
    });
    expect(await summarise(['broken-import.test.mjs'])).toMatchObject({ line: expect.stringMatching(/ 2 failed,/) });
    expect(await summarise(['failing-hook.test.mjs'])).toMatchObject({ line: expect.stringMatching(/ 3 failed,/) });
  }, 60_000);

  it("should count cargo's results and a turbo task that failed with no test to show for it", async () => {
    const cargo = '@helix/native:test: test result: FAILED. 7 passed; 2 failed; 1 ignored; 0 measured\n';
    const lint = '@helix/web#lint:  ERROR  command (/repo/apps/web) /usr/bin/npm run lint exited (1)\n';
    expect(await summarise(['passes.test.mjs'], cargo + lint)).toEqual({
      line: '8 passed, 3 failed, 1 skipped, 1 ignored',
      status: 1,
    });
  }, 60_000);
});
