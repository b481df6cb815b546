import { readFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schemaSdlPath } from '../src/paths.js';
import { schema } from '../src/schema/index.js';

describe('printed schema', () => {
  it('should match the committed apps/api/schema.graphql (run `npm run generate` after a schema change)', async () => {
    expect(await readFile(schemaSdlPath, 'utf8')).toBe(`${printSchema(schema)}\n`);
  });
});
