import { CsvLineError, isIsoDate, readGzipLines, truncate } from './read-gzip-lines.ts';
import { sampleDataFiles } from './sample-data-files.ts';

/**
 * FRED constant-maturity Treasury yields in percent (4.25 means 4.25 %), NaN where FRED has no
 * value. The dates follow FRED's business days, not the NYSE calendar of the price file: align by
 * date, never by index.
 */
export type TreasuryYields = {
  dates: string[];
  dgs2: Float64Array;
  dgs10: Float64Array;
  dgs30: Float64Array;
};

export const TREASURY_YIELDS_HEADER = 'date,dgs2,dgs10,dgs30';

/**
 * Reads `date,dgs2,dgs10,dgs30`. A blank field or FRED's '.' placeholder becomes NaN; anything
 * else must be a finite number (negative yields are legal). Dates must be strictly ascending,
 * which also rejects duplicates, so every problem is reported at the line that causes it.
 */
export async function loadTreasuryYields(
  path: string = sampleDataFiles().treasuryYields,
): Promise<TreasuryYields> {
  const dates: string[] = [];
  const columns: [number[], number[], number[]] = [[], [], []];
  const names = ['dgs2', 'dgs10', 'dgs30'] as const;

  await readGzipLines(
    path,
    (line, lineNumber) => {
      const fields = line.split(',');
      if (fields.length !== 4) {
        throw new CsvLineError(path, lineNumber, `expected 4 fields, got '${truncate(line)}'`);
      }
      const date = fields[0] as string;
      if (!isIsoDate(date)) {
        throw new CsvLineError(path, lineNumber, `malformed date '${truncate(date)}'`);
      }
      const previous = dates[dates.length - 1];
      if (previous !== undefined && date <= previous) {
        throw new CsvLineError(path, lineNumber, `date ${date} is not after ${previous}`);
      }
      dates.push(date);
      for (let c = 0; c < 3; c++) {
        const text = (fields[c + 1] as string).trim();
        let value = NaN;
        if (text !== '' && text !== '.') {
          value = Number(text);
          if (!Number.isFinite(value)) {
            throw new CsvLineError(
              path,
              lineNumber,
              `${names[c]} must be a number, '.' or blank, got '${truncate(text)}'`,
            );
          }
        }
        (columns[c] as number[]).push(value);
      }
    },
    { header: TREASURY_YIELDS_HEADER },
  );

  return {
    dates,
    dgs2: Float64Array.from(columns[0]),
    dgs10: Float64Array.from(columns[1]),
    dgs30: Float64Array.from(columns[2]),
  };
}
