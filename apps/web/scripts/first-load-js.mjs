#!/usr/bin/env node
// Prints the first-load JavaScript of each page, gzipped, after `next build`, and fails when the
// overview passes its budget. Next 16 no longer prints these figures itself; this counts what a
// browser downloads on a first visit: the framework's root chunks plus every chunk the route's
// layouts, page and boundaries name in its client-reference manifest.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, '.next');
/** The overview's budget, in gzipped kB (1 kB = 1000 bytes, as Next used to count). */
const OVERVIEW_BUDGET_KB = 250;

const ROUTES = [
  { route: '/', manifest: 'app/(dashboard)/page_client-reference-manifest.js', key: '/(dashboard)/page' },
  { route: '/runs', manifest: 'app/(dashboard)/runs/page_client-reference-manifest.js', key: '/(dashboard)/runs/page' },
  {
    route: '/runs/[id]',
    manifest: 'app/(dashboard)/runs/[id]/page_client-reference-manifest.js',
    key: '/(dashboard)/runs/[id]/page',
  },
  { route: '/sign-in', manifest: 'app/sign-in/page_client-reference-manifest.js', key: '/sign-in/page' },
];

const buildManifest = JSON.parse(readFileSync(join(dist, 'build-manifest.json'), 'utf8'));
const sizes = new Map();
const gzipped = (file) => {
  if (!sizes.has(file)) sizes.set(file, gzipSync(readFileSync(join(dist, file))).length);
  return sizes.get(file);
};

let failed = false;
const rows = [];
for (const { route, manifest, key } of ROUTES) {
  const path = join(dist, 'server', manifest);
  if (!existsSync(path)) {
    console.error(`first-load-js: ${path} is missing; run next build first`);
    process.exit(1);
  }
  const sandbox = { globalThis: {} };
  sandbox.globalThis = sandbox;
  runInNewContext(readFileSync(path, 'utf8'), sandbox);
  const entry = sandbox.__RSC_MANIFEST?.[key];
  if (!entry) throw new Error(`${manifest} has no entry ${key}`);
  const files = new Set(buildManifest.rootMainFiles);
  for (const chunks of Object.values(entry.entryJSFiles)) for (const chunk of chunks) files.add(chunk);
  const bytes = [...files].reduce((sum, file) => sum + gzipped(file), 0);
  const kb = bytes / 1000;
  rows.push({ route, kb, files: files.size });
  if (route === '/' && kb > OVERVIEW_BUDGET_KB) failed = true;
}

console.log('\nFirst-load JS (gzipped)');
for (const { route, kb, files } of rows) {
  console.log(`  ${route.padEnd(12)} ${kb.toFixed(1).padStart(7)} kB  (${files} files)`);
}
console.log(`  budget for / : ${OVERVIEW_BUDGET_KB} kB`);
if (failed) {
  console.error(`The overview's first-load JS passes its ${OVERVIEW_BUDGET_KB} kB budget.`);
  process.exit(1);
}
