// Generates what the sources depend on: the Prisma client, then the printed GraphQL SDL.
// The Prisma CLI insists on finding a native schema engine even though `generate` never runs it;
// pointing it at an existing file stops the download attempt, which cannot succeed offline.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= require.resolve('prisma/package.json');

function run(args) {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run([require.resolve('prisma/build/index.js'), 'generate', '--schema', '../../prisma/schema.prisma']);
run(['--import', 'tsx', 'scripts/print-schema.ts']);
