import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as native from '@helix/native';
import { describe, expect, it } from 'vitest';
import { scratchDir } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the loader', () => {
  it('should export every class and function the addon declares', () => {
    const declared = [
      ...readFileSync(join(root, 'index.d.ts'), 'utf8').matchAll(/^export declare (?:class|function) (\w+)/gm),
    ]
      .map((match) => match[1])
      .sort();
    expect(Object.keys(native).sort()).toEqual(declared);
    expect(() => execFileSync(process.execPath, [join(root, 'scripts/write-loader.js'), '--check'])).not.toThrow();
  });

  it('should say how to build the addon when it is missing', () => {
    const dir = scratchDir('loader');
    copyFileSync(join(root, 'index.js'), join(dir, 'index.mjs'));
    const run = spawnSync(process.execPath, [join(dir, 'index.mjs')], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('is not built; build it with `npm run build -w @helix/native`');
  });
});
