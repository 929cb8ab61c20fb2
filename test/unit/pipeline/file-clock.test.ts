import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.ts';
import { fileClock } from '../../../src/pipeline/file-clock.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'betaboard-clock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('the test clock file (BETABOARD_TEST_CLOCK_FILE)', () => {
  it('is read again on every call, so a test moves the clock of a running process', () => {
    const file = path.join(dir, 'now');
    writeFileSync(file, '2025-11-03T18:00:00-05:00\n');
    const now = fileClock(file);
    expect(now().toISOString()).toBe('2025-11-03T23:00:00.000Z');
    writeFileSync(file, '2025-11-04T18:00:00Z');
    expect(now().toISOString()).toBe('2025-11-04T18:00:00.000Z');
    expect(loadConfig({ BETABOARD_TEST_CLOCK_FILE: file }).testClockFile).toBe(file);
    expect(loadConfig({}).testClockFile).toBeUndefined();
  });

  it('is checked at start: a missing file or a text that is not an instant with an offset', () => {
    const bad = path.join(dir, 'bad');
    writeFileSync(bad, '2025-11-03');
    for (const file of [bad, path.join(dir, 'missing')]) {
      const problems = problemsOf({ BETABOARD_TEST_CLOCK_FILE: file });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(
        /^BETABOARD_TEST_CLOCK_FILE=".*": must name a readable file holding an ISO 8601 instant/,
      );
    }
    writeFileSync(bad, '2025-13-45T25:00:00Z');
    expect(problemsOf({ BETABOARD_TEST_CLOCK_FILE: bad })).toHaveLength(1);
  });
});
