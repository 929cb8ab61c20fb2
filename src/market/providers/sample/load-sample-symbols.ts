import { tokenizeCsv } from '../../../domain/csv/csv-tokenizer.ts';
import { CsvLineError, readGzipLines, truncate } from './read-gzip-lines.ts';
import { sampleDataFiles } from './sample-data-files.ts';

export type SampleSymbol = {
  symbol: string;
  /** Company or fund name. */
  name: string;
  type: 'stock' | 'etf';
  /** GICS sector for stocks; null for ETFs. */
  sector: string | null;
  /** What the ETF stands for (e.g. 'market (S&P 500)'); null for stocks. */
  role: string | null;
  /** One of the ETFs the factor model regresses on by default. */
  isCoreFactorEtf: boolean;
};

export const SAMPLE_SYMBOLS_HEADER = 'symbol,name,type,sector_or_role,core_factor_etf';

/**
 * Reads the symbol reference file, in file order. Names may be quoted ("Nike, Inc."). The source
 * mixes sector and role in one column; it is split here by `type` so callers never have to know
 * which meaning a row carries.
 */
export async function loadSampleSymbols(
  path: string = sampleDataFiles().symbols,
): Promise<SampleSymbol[]> {
  const out: SampleSymbol[] = [];
  const seen = new Set<string>();

  await readGzipLines(
    path,
    (line, lineNumber) => {
      const fail = (reason: string): never => {
        throw new CsvLineError(path, lineNumber, reason);
      };
      const { records, errors } = tokenizeCsv(line);
      if (errors.length > 0) fail(errors[0]!.message);
      const fields = records[0]?.fields ?? [];
      if (fields.length !== 5) fail(`expected 5 fields, got '${truncate(line)}'`);
      const [symbol = '', name = '', rawType = '', sectorOrRole = '', rawCore = ''] = fields;

      if (symbol.length === 0) fail('empty symbol');
      if (seen.has(symbol)) fail(`duplicate symbol '${symbol}'`);
      if (name.trim().length === 0) fail(`symbol '${symbol}' has no name`);

      const kind = rawType.toLowerCase();
      if (kind !== 'stock' && kind !== 'etf') {
        fail(`type must be 'stock' or 'ETF', got '${truncate(rawType)}'`);
      }
      const core = rawCore.toLowerCase();
      if (core !== 'true' && core !== 'false') {
        fail(`core_factor_etf must be True or False, got '${truncate(rawCore)}'`);
      }
      const isCoreFactorEtf = core === 'true';

      if (kind === 'stock') {
        if (sectorOrRole.length === 0) fail(`stock '${symbol}' has no sector`);
        if (isCoreFactorEtf) fail(`stock '${symbol}' is flagged as a core factor ETF`);
      }

      seen.add(symbol);
      const common = { symbol, name: name.trim(), isCoreFactorEtf };
      out.push(
        kind === 'stock'
          ? { ...common, type: 'stock', sector: sectorOrRole, role: null }
          : { ...common, type: 'etf', sector: null, role: sectorOrRole || null },
      );
    },
    { header: SAMPLE_SYMBOLS_HEADER },
  );

  return out;
}
