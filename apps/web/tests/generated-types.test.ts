import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const WEB_DIR = fileURLToPath(new URL('..', import.meta.url));
const COMMITTED = join(WEB_DIR, 'src', 'generated', 'graphql-env.d.ts');
const GQL_TADA = join(WEB_DIR, '..', '..', 'node_modules', 'gql.tada', 'bin', 'cli.js');

describe('operation types', () => {
  it('should come from the committed apps/api/schema.graphql (run `npm run generate -w @helix/web` after a schema change)', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'helix-web-types-'));
    try {
      const output = join(scratch, 'graphql-env.d.ts');
      await promisify(execFile)(process.execPath, [GQL_TADA, 'generate', 'output', '--output', output], {
        cwd: WEB_DIR,
      });
      expect(await readFile(output, 'utf8')).toBe(await readFile(COMMITTED, 'utf8'));
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
