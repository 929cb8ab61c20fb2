import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tradingSessionsBetween } from '../../../../src/domain/calendar/index.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const sharedPrices = `${repoRoot}../shared/data/market/prices.csv.gz`;
// The bundled copy is byte-identical (checked by test/unit/sample-data/bundled-copy.test.ts), so a
// checkout without the shared folder still runs this test instead of skipping it.
const pricesPath = existsSync(sharedPrices) ? sharedPrices : `${repoRoot}data/market/prices.csv.gz`;

function distinctPriceDates(): string[] {
  const lines = gunzipSync(readFileSync(pricesPath)).toString('utf8').split('\n');
  expect(lines[0]?.trim()).toBe('symbol,date,close');
  const dates = new Set<string>();
  for (const line of lines.slice(1)) {
    const date = line.split(',')[1];
    if (date !== undefined) dates.add(date);
  }
  return [...dates].sort();
}

describe('trading calendar against the sample price history', () => {
  it('has a session exactly on every date the market data has a close', () => {
    const expected = distinctPriceDates();
    expect(expected).toHaveLength(2040);
    expect(expected[0]).toBe('2018-06-19');
    expect(expected.at(-1)).toBe('2026-07-31');

    const sessions = tradingSessionsBetween('2018-06-19', '2026-07-31');
    const sessionSet = new Set(sessions);
    const expectedSet = new Set(expected);
    const missing = expected.filter((date) => !sessionSet.has(date));
    const extra = sessions.filter((date) => !expectedSet.has(date));
    // Listing the differing dates makes a failure self-explanatory, unlike a 2,040-line diff.
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(sessions).toEqual(expected);
  });
});
