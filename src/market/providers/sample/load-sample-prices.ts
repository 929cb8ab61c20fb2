import { CsvLineError, isIsoDate, readGzipLines, truncate } from './read-gzip-lines.ts';
import { sampleDataFiles } from './sample-data-files.ts';

/** The whole bundled price file as a dense date × symbol grid. */
export type SamplePriceSet = {
  /** Every date present in the file, ascending and unique. */
  dates: string[];
  /** Every symbol present in the file, sorted. */
  symbols: string[];
  /** Adjusted closes per symbol, index-aligned to `dates`; NaN where the symbol has no row. */
  closes: Map<string, Float64Array>;
  /** Data rows read (header excluded). */
  rowCount: number;
};

export type SampleCloseSeries = {
  dates: string[];
  closes: Float64Array;
};

export const SAMPLE_PRICES_HEADER = 'symbol,date,close';

// Per-symbol rows as they arrive; dates are kept as ids into the first-seen date list so the
// 300k-row file does not hold 300k date strings while the calendar is still unknown.
type SymbolRows = { dateIds: number[]; closes: number[]; lines: number[] };

/**
 * Reads `symbol,date,close` (long format, any row order) into one aligned grid. Throws a
 * CsvLineError naming the line for a bad header, a wrong field count, an empty symbol, a
 * malformed or impossible date, a close that is not a finite number > 0, or a repeated
 * (symbol, date) pair.
 */
export async function loadSamplePrices(
  path: string = sampleDataFiles().prices,
): Promise<SamplePriceSet> {
  const bySymbol = new Map<string, SymbolRows>();
  const dateIds = new Map<string, number>();
  const seenDates: string[] = [];
  // The file is grouped by symbol, so remembering the last group skips most map lookups.
  let lastSymbol = '';
  let lastRows: SymbolRows | undefined;

  const rowCount = await readGzipLines(
    path,
    (line, lineNumber) => {
      const c1 = line.indexOf(',');
      const c2 = c1 === -1 ? -1 : line.indexOf(',', c1 + 1);
      if (c2 === -1 || line.indexOf(',', c2 + 1) !== -1) {
        throw new CsvLineError(path, lineNumber, `expected 3 fields, got '${truncate(line)}'`);
      }
      if (c1 === 0) throw new CsvLineError(path, lineNumber, 'empty symbol');

      const date = line.slice(c1 + 1, c2);
      let dateId = dateIds.get(date);
      if (dateId === undefined) {
        if (!isIsoDate(date)) {
          throw new CsvLineError(path, lineNumber, `malformed date '${truncate(date)}'`);
        }
        dateId = seenDates.length;
        seenDates.push(date);
        dateIds.set(date, dateId);
      }

      const closeText = line.slice(c2 + 1);
      const close = Number(closeText);
      // Number('') is 0, so an empty field is caught here as well.
      if (!Number.isFinite(close) || close <= 0) {
        throw new CsvLineError(
          path,
          lineNumber,
          `close must be a finite number > 0, got '${truncate(closeText)}'`,
        );
      }

      let rows = lastRows;
      if (rows === undefined || !line.startsWith(lastSymbol) || c1 !== lastSymbol.length) {
        lastSymbol = line.slice(0, c1);
        rows = bySymbol.get(lastSymbol);
        if (rows === undefined) {
          rows = { dateIds: [], closes: [], lines: [] };
          bySymbol.set(lastSymbol, rows);
        }
        lastRows = rows;
      }
      rows.dateIds.push(dateId);
      rows.closes.push(close);
      rows.lines.push(lineNumber);
    },
    { header: SAMPLE_PRICES_HEADER },
  );

  // ISO dates sort chronologically as strings.
  const dates = [...seenDates].sort();
  const position = new Int32Array(seenDates.length);
  dates.forEach((date, i) => {
    position[dateIds.get(date) as number] = i;
  });

  const symbols = [...bySymbol.keys()].sort();
  const closes = new Map<string, Float64Array>();
  for (const symbol of symbols) {
    const rows = bySymbol.get(symbol) as SymbolRows;
    const series = new Float64Array(dates.length).fill(NaN);
    for (let i = 0; i < rows.closes.length; i++) {
      const at = position[rows.dateIds[i] as number] as number;
      if (!Number.isNaN(series[at] as number)) {
        throw new CsvLineError(
          path,
          rows.lines[i] as number,
          `duplicate close for ${symbol} on ${dates[at]}`,
        );
      }
      series[at] = rows.closes[i] as number;
    }
    closes.set(symbol, series);
  }

  return { dates, symbols, closes, rowCount };
}

/**
 * One symbol's closes between `from` and `to` (both inclusive, either optional). Returns copies,
 * so callers may mutate the result without corrupting the shared set. An unknown symbol throws
 * rather than returning an empty series, which would read as "no data" and hide a typo.
 */
export function closesFor(
  set: SamplePriceSet,
  symbol: string,
  from?: string,
  to?: string,
): SampleCloseSeries {
  const series = set.closes.get(symbol);
  if (series === undefined) throw new Error(`Unknown symbol '${symbol}' in sample prices`);
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (value !== undefined && !isIsoDate(value)) {
      throw new Error(`closesFor: ${name} must be a YYYY-MM-DD date, got '${value}'`);
    }
  }
  const start = from === undefined ? 0 : lowerBound(set.dates, from);
  const end = to === undefined ? set.dates.length : upperBound(set.dates, to);
  if (end <= start) return { dates: [], closes: new Float64Array(0) };
  return { dates: set.dates.slice(start, end), closes: series.slice(start, end) };
}

/** First index whose date is >= `date`. */
function lowerBound(dates: string[], date: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dates[mid] as string) < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose date is > `date`. */
function upperBound(dates: string[], date: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((dates[mid] as string) <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
