#!/usr/bin/env node
// The `helix` command. Runs the compiled CLI; build it first with `npm run build`.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli-main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('helix: the API is not built yet; run `npm run build` at the repository root.\n');
  process.exit(1);
}
await import(cli.href);
