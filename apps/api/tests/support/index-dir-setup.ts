import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Aligner indexes the tests' runs save go to a scratch directory (`HELIX_INDEX_DIR`, inherited by
 * every helix process a test starts), removed at the end, never beside a reference the tests only
 * read. Set in the main process before the test workers start, so they inherit it too.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const directory = await mkdtemp(join(tmpdir(), 'helix-test-indexes-'));
  process.env.HELIX_INDEX_DIR = directory;
  return async () => {
    await rm(directory, { recursive: true, force: true });
  };
}
