import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { mostRecentCompletedTradingDay } from '../../domain/calendar/index.ts';
import { MarketDataRepository } from '../../db/repositories/market-data-repository.ts';
import { SymbolUniverseRepository } from '../../db/repositories/symbol-universe-repository.ts';
import { parsePriceCsv } from '../../market/providers/csv/parse-price-csv.ts';
import { openCliContext } from '../open-cli-context.ts';

const MAX_FILE_BYTES = 200 * 1024 * 1024;

export function registerPricesCommand(program: Command): void {
  const prices = program.command('prices').description('market data in the database');
  prices
    .command('import')
    .description('import your own closes from a CSV file with the columns symbol,date,close')
    .argument('<file>', 'path to the CSV file')
    .action(async (file: string) => {
      let text: string;
      try {
        const size = statSync(file).size;
        if (size > MAX_FILE_BYTES)
          program.error(`error: ${file} is ${size} bytes; the limit is ${MAX_FILE_BYTES}`, {
            exitCode: 2,
          });
        text = readFileSync(file, 'utf8');
      } catch (error) {
        program.error(`error: cannot read ${file}: ${(error as Error).message}`, { exitCode: 2 });
      }
      const today = new Date().toISOString().slice(0, 10);
      const { rows, errors } = parsePriceCsv(text!, today);
      if (errors.length > 0) {
        console.error(`${file}: ${errors.length} invalid row(s); nothing was imported.`);
        for (const e of errors.slice(0, 50))
          console.error(
            `  line ${e.line}${e.column ? ` (${e.column})` : ''}: ${e.code} ${e.message}`,
          );
        if (errors.length > 50) console.error(`  … and ${errors.length - 50} more`);
        process.exitCode = 2;
        return;
      }
      const cli = await openCliContext();
      try {
        const symbols = [...new Set(rows.map((r) => r.symbol))];
        await cli.database.db.transaction(async (tx) => {
          await new MarketDataRepository(tx).upsertCloses(rows, 'csv');
          await new SymbolUniverseRepository(tx).register(
            symbols.map((symbol) => ({ symbol, assetType: 'equity' as const })),
            mostRecentCompletedTradingDay(new Date()),
          );
        });
        console.log(
          `Imported ${rows.length} close(s) for ${symbols.length} symbol(s): ${symbols.slice(0, 20).join(', ')}${symbols.length > 20 ? ', …' : ''}`,
        );
      } finally {
        await cli.close();
      }
    });
}
