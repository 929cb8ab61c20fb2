import { CsvLineError, readGzipLines, truncate } from './read-gzip-lines.ts';
import { sampleDataFiles } from './sample-data-files.ts';

export type SampleSymbol = {
  symbol: string;
  type: 'stock' | 'etf';
  /** GICS sector for stocks; null for ETFs. */
  sector: string | null;
  /** What the ETF stands for (e.g. 'market (S&P 500)'); null for stocks. */
  role: string | null;
  /** One of the ETFs the factor model regresses on by default. */
  isCoreFactorEtf: boolean;
};

export const SAMPLE_SYMBOLS_HEADER = 'symbol,type,sector_or_role,core_factor_etf';

/**
 * Reads the symbol reference file, in file order. The source mixes sector and role in one column;
 * it is split here by `type` so callers never have to know which meaning a row carries.
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
      // No field is quoted today; refuse quotes rather than mis-split a role text with a comma.
      if (line.includes('"')) fail('quoted fields are not supported');
      const fields = line.split(',');
      if (fields.length !== 4) fail(`expected 4 fields, got '${truncate(line)}'`);
      const [symbol = '', rawType = '', sectorOrRole = '', rawCore = ''] = fields;

      if (symbol.length === 0) fail('empty symbol');
      if (seen.has(symbol)) fail(`duplicate symbol '${symbol}'`);

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
      out.push(
        kind === 'stock'
          ? { symbol, type: 'stock', sector: sectorOrRole, role: null, isCoreFactorEtf }
          : { symbol, type: 'etf', sector: null, role: sectorOrRole || null, isCoreFactorEtf },
      );
    },
    { header: SAMPLE_SYMBOLS_HEADER },
  );

  return out;
}
