import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IsoDate } from '../../../domain/dates.ts';
import {
  fail,
  ok,
  ProviderError,
  type DailyBar,
  type MarketDataProvider,
  type SymbolProfile,
  type SymbolResult,
} from '../../provider.ts';
import { parsePriceCsv } from './parse-price-csv.ts';

/**
 * A user's own price files as a provider: every `*.csv` (symbol,date,close) in a directory.
 * A file with any bad row is refused whole, with its line-numbered errors, at start-up.
 */
export class CsvProvider implements MarketDataProvider {
  readonly name = 'csv';
  readonly capabilities = {
    dailyCloses: true,
    profiles: false,
    fundamentals: false,
    optionCloses: false,
    treasuryBillRates: false,
  };
  readonly maxSymbolsPerRequest = 1_000;

  private constructor(private readonly series: Map<string, DailyBar[]>) {}

  static fromDirectory(dir: string, today: string): CsvProvider {
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.csv'));
    } catch {
      throw new Error(`CSV price directory ${dir} does not exist; set BETABOARD_CSV_PRICES_DIR`);
    }
    const series = new Map<string, DailyBar[]>();
    for (const file of files.sort()) {
      const full = path.join(dir, file);
      if (!statSync(full).isFile()) continue;
      const { rows, errors } = parsePriceCsv(readFileSync(full, 'utf8'), today);
      if (errors.length > 0) {
        const shown = errors
          .slice(0, 5)
          .map((e) => `line ${e.line}: ${e.message}`)
          .join('; ');
        throw new Error(`${full}: ${errors.length} invalid row(s): ${shown}`);
      }
      for (const r of rows) {
        let list = series.get(r.symbol);
        if (!list) series.set(r.symbol, (list = []));
        list.push({ date: r.date, close: r.close });
      }
    }
    for (const list of series.values()) list.sort((a, b) => (a.date < b.date ? -1 : 1));
    return new CsvProvider(series);
  }

  async latestAvailableDate(): Promise<IsoDate | null> {
    let latest: string | null = null;
    for (const list of this.series.values()) {
      const last = list.at(-1)?.date;
      if (last && (!latest || last > latest)) latest = last;
    }
    return latest;
  }

  async getDailyCloses(
    symbols: readonly string[],
    from: IsoDate,
    to: IsoDate,
  ): Promise<Map<string, SymbolResult<DailyBar[]>>> {
    const out = new Map<string, SymbolResult<DailyBar[]>>();
    for (const symbol of symbols) {
      const list = this.series.get(symbol);
      if (!list) {
        out.set(
          symbol,
          fail(new ProviderError('unknown_symbol', `no CSV price file has ${symbol}`, this.name)),
        );
        continue;
      }
      const bars = list.filter((b) => b.date >= from && b.date <= to);
      out.set(
        symbol,
        bars.length > 0
          ? ok(bars)
          : fail(
              new ProviderError(
                'no_data',
                `the CSV files have no ${symbol} closes in ${from}..${to}`,
                this.name,
              ),
            ),
      );
    }
    return out;
  }

  async getProfiles(symbols: readonly string[]): Promise<Map<string, SymbolResult<SymbolProfile>>> {
    return new Map(
      symbols.map((s) => [
        s,
        fail<SymbolProfile>(
          new ProviderError('not_supported', 'CSV price files carry no profiles', this.name),
        ),
      ]),
    );
  }
}
