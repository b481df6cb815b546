#!/usr/bin/env node
// The closing line of .ci/run: `N passed, N failed, N skipped, N ignored` over every step's log.
//
//   node scripts/ci-summary.mjs --step <name> <exit status> <log file> [--step …]
//
// Vitest results are read from the JSON report each run writes (its path is in the log: "JSON
// report written to …"); cargo's from its `test result:` lines. A failure is a failed test, a test
// file that failed without a failed test (it did not load, or a hook failed), an unhandled error,
// a turbo task that failed with none of those to show for it (a build, lint or type error), or a
// step that exited non-zero (or timed out) with nothing else counted. Exits 1 when anything failed.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

// turbo prefixes each line of a task's output with `<package>:<task>: `.
const TASK_PREFIX = /^(@?[\w.-]+(?:\/[\w.-]+)?):([\w:.-]+?): (.*)$/;
const TASK_FAILED = /^(\S+#\S+):\s+ERROR\s+command .* exited \((\d+)\)/;
const JSON_REPORT = /JSON report written to (.+)$/;
const CARGO_RESULT = /test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/;
const UNHANDLED = /^\s*Errors\s+(\d+) errors?\b/;

const totals = { passed: 0, failed: 0, skipped: 0, ignored: 0 };
const failures = [];

function fail(where, what, count = 1) {
  totals.failed += count;
  failures.push(`${where}: ${what}${count > 1 ? ` (${count})` : ''}`);
}

/** Adds one vitest JSON report; returns how many failures it held. */
function countVitestReport(task, file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let found = 0;
  for (const result of report.testResults) {
    const name = relative(process.cwd(), result.name);
    let failedTests = 0;
    for (const assertion of result.assertionResults) {
      if (assertion.status === 'passed') totals.passed += 1;
      else if (assertion.status === 'failed') {
        failedTests += 1;
        fail(task, `${name} > ${assertion.fullName}`);
      } else totals.skipped += 1;
    }
    found += failedTests;
    // A file that failed with no failed test did not load, or a hook failed; its own error counts too.
    if (result.status === 'failed' && (failedTests === 0 || result.message)) {
      fail(task, `${name}: ${result.message.split('\n')[0] || 'a hook failed'}`);
      found += 1;
    }
  }
  return found;
}

/** Counts one step's log; returns how many failures it held. */
function countStep(step, status, logFile) {
  const failuresBefore = totals.failed;
  const found = new Map(); // task → failures counted for it
  const failedTasks = new Map(); // task → exit code
  const log = existsSync(logFile) ? stripVTControlCharacters(readFileSync(logFile, 'utf8')) : '';
  for (const rawLine of log.split('\n')) {
    const prefixed = TASK_PREFIX.exec(rawLine);
    const task = prefixed ? `${prefixed[1]}#${prefixed[2]}` : step;
    const line = prefixed ? prefixed[3] : rawLine;
    const add = (count) => found.set(task, (found.get(task) ?? 0) + count);
    const taskFailed = TASK_FAILED.exec(rawLine);
    if (taskFailed) failedTasks.set(taskFailed[1], Number(taskFailed[2]));
    const report = JSON_REPORT.exec(line);
    if (report) add(countVitestReport(task, report[1].trim()));
    const cargo = CARGO_RESULT.exec(line);
    if (cargo) {
      totals.passed += Number(cargo[1]);
      totals.ignored += Number(cargo[3]);
      if (Number(cargo[2]) > 0) fail(task, `cargo test: ${cargo[2]} failed`, Number(cargo[2]));
      add(Number(cargo[2]));
    }
    const unhandled = UNHANDLED.exec(line);
    if (unhandled) {
      fail(task, 'unhandled errors outside the tests', Number(unhandled[1]));
      add(Number(unhandled[1]));
    }
  }
  for (const [task, code] of failedTasks) {
    if (!found.get(task)) fail(task, `failed (exit ${code}) with no failed test to show for it; see its output above`);
  }
  if (status !== 0 && totals.failed === failuresBefore) {
    fail(step, status === 124 ? 'timed out' : `exited ${status}`);
  }
}

const args = process.argv.slice(2);
for (let index = 0; index < args.length; index += 4) {
  if (args[index] !== '--step' || args[index + 3] === undefined) {
    process.stderr.write('usage: ci-summary.mjs --step <name> <exit status> <log file> [--step …]\n');
    process.exit(2);
  }
  countStep(args[index + 1], Number(args[index + 2]), args[index + 3]);
}

if (failures.length > 0) process.stdout.write(`\nFailures:\n${failures.map((line) => `  ${line}`).join('\n')}\n\n`);
process.stdout.write(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped, ${totals.ignored} ignored\n`,
);
process.exit(totals.failed > 0 ? 1 : 0);
