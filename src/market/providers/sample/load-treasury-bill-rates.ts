import { CsvLineError, isIsoDate, readGzipLines, truncate } from './read-gzip-lines.ts';
import { sampleDataFiles } from './sample-data-files.ts';

/** The 13-week Treasury bill rate (Yahoo ^IRX) in percent, one value per NYSE session. */
export type TreasuryBillRates = {
  dates: string[];
  /** Percent: 4.25 means 4.25 %. Negative values occurred (March 2020) and are kept. */
  ratePercent: Float64Array;
};

export const TREASURY_BILL_HEADER = 'date,irx_13w_pct';

/** Reads `date,irx_13w_pct`; dates strictly ascending, every value a finite number. */
export async function loadTreasuryBillRates(
  path: string = sampleDataFiles().treasuryBill3m,
): Promise<TreasuryBillRates> {
  const dates: string[] = [];
  const values: number[] = [];
  await readGzipLines(
    path,
    (line, lineNumber) => {
      const fields = line.split(',');
      if (fields.length !== 2) {
        throw new CsvLineError(path, lineNumber, `expected 2 fields, got '${truncate(line)}'`);
      }
      const [date = '', text = ''] = fields;
      if (!isIsoDate(date)) {
        throw new CsvLineError(path, lineNumber, `malformed date '${truncate(date)}'`);
      }
      const previous = dates.at(-1);
      if (previous !== undefined && date <= previous) {
        throw new CsvLineError(path, lineNumber, `date ${date} is not after ${previous}`);
      }
      const value = text.trim() === '' ? NaN : Number(text);
      if (!Number.isFinite(value)) {
        throw new CsvLineError(path, lineNumber, `rate must be a number, got '${truncate(text)}'`);
      }
      dates.push(date);
      values.push(value);
    },
    { header: TREASURY_BILL_HEADER },
  );
  return { dates, ratePercent: Float64Array.from(values) };
}
