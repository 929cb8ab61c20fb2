import { readFileSync } from 'node:fs';

/**
 * Test only (BETABOARD_TEST_CLOCK_FILE): "now" for the pipeline's date decisions — the symbol
 * batch's target dates, the refresh's and a calculation's date — read from a file that holds one
 * ISO 8601 instant with its offset. The file is read again on every call, so a test can run many
 * simulated nights through long-running worker processes by rewriting it. Time-outs, heartbeats
 * and the stale-run check keep the real clock.
 */
export function readClockFile(path: string): Date {
  const text = readFileSync(path, 'utf8').trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new Error(
      `${path} must hold one ISO 8601 instant with an offset, not ${JSON.stringify(text)}`,
    );
  }
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) throw new Error(`${path}: ${text} is not a real instant`);
  return instant;
}

/** The clock a worker's pipeline reads: the file's instant at the moment of asking. */
export const fileClock =
  (path: string): (() => Date) =>
  () =>
    readClockFile(path);
