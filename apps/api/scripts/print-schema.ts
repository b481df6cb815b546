/** Prints the GraphQL schema to apps/api/schema.graphql, the SDL reviewed with every change. */
import { writeFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { schemaSdlPath } from '../src/paths.js';
import { schema } from '../src/schema/index.js';

await writeFile(schemaSdlPath, `${printSchema(schema)}\n`);
