#!/usr/bin/env node
// The README's test command: static checks, then every test (unit, integration on PGlite and
// on a throw-away PostgreSQL server the global setup installs and starts), then the fault tests
// (`npm run test:faults`: worker processes killed, PostgreSQL restarted, a failing provider, two
// schedulers). Ends with the plain "N passed, N failed, N skipped" line CI reads, over both.
// With arguments (`npm test -- test/unit/…`) only vitest runs, with those arguments.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const extra = process.argv.slice(2);

function step(title, cmd, args) {
  const started = Date.now();
  console.log(`\n▶ ${title}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✗ ${title} failed after ${seconds}s`);
    return false;
  }
  console.log(`✓ ${title} (${seconds}s)`);
  return true;
}

let ok = true;
if (extra.length === 0) {
  ok = step('typecheck (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.']) && ok;
  ok = step('typecheck web app (tsc -p web)', bin('tsc'), ['--noEmit', '-p', 'web']) && ok;
  ok = step('lint (eslint)', bin('eslint'), ['.']) && ok;
  ok =
    step('format (prettier --check)', bin('prettier'), ['--check', '.', '--log-level', 'warn']) &&
    ok;
}

const reportDir = path.join(root, '.tmp');
mkdirSync(reportDir, { recursive: true });

/** One vitest run with a JSON report; its counts, a suite that failed to load counted failed. */
function vitestStep(title, name, args) {
  const report = path.join(reportDir, `${name}-report.json`);
  rmSync(report, { force: true });
  const stepOk = step(title, bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...args,
  ]);
  const counts = { ok: stepOk, passed: 0, failed: 0, skipped: 0 };
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    counts.passed = json.numPassedTests ?? 0;
    counts.failed = json.numFailedTests ?? 0;
    counts.skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
    // A suite that failed to load counts as a failure even though none of its tests ran.
    counts.failed += (json.testResults ?? []).filter(
      (f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0,
    ).length;
  } else if (!stepOk) {
    counts.failed = 1;
  }
  return counts;
}

const runs = [vitestStep('tests (vitest)', 'vitest', extra)];
if (extra.length === 0) {
  runs.push(
    vitestStep('fault tests (vitest, test/faults)', 'faults', [
      '--config',
      'test/faults/vitest.config.ts',
    ]),
  );
}
const testsOk = runs.every((r) => r.ok);
const passed = runs.reduce((n, r) => n + r.passed, 0);
let failed = runs.reduce((n, r) => n + r.failed, 0);
const skipped = runs.reduce((n, r) => n + r.skipped, 0);
if (!ok && failed === 0) failed = 1; // a static check failed: never report a clean run
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok && testsOk && failed === 0 ? 0 : 1);
