import type { Command } from 'commander';
import { isIsoDate } from '../../domain/dates.ts';
import {
  runSymbolBatch,
  type SymbolBatchSummary,
} from '../../pipeline/symbol-batch/run-symbol-batch.ts';
import { runPortfolioRefresh } from '../../pipeline/portfolio-refresh/run-portfolio-refresh.ts';
import { openCliContext } from '../open-cli-context.ts';

export function registerBatchCommand(program: Command): void {
  const batch = program.command('batch').description('run the nightly pipelines by hand');
  registerSymbolBatch(program, batch);
  registerPortfolioRefresh(program, batch);
}

function registerSymbolBatch(program: Command, batch: Command): void {
  batch
    .command('symbols')
    .description('symbol batch: profiles, prices, fundamentals and the 13 factors (phases 0–3)')
    .option('--date <date>', 'run exactly this date (YYYY-MM-DD) instead of the latest session')
    .option('--symbols <list>', 'scoped run for these comma-separated symbols only')
    .option('--no-backfill', 'do not fill sessions missed since the last completed run')
    .option('--json', 'print the summary as JSON')
    .action(
      async (opts: { date?: string; symbols?: string; backfill: boolean; json?: boolean }) => {
        if (opts.date !== undefined && !isIsoDate(opts.date)) {
          program.error(`error: --date must be a date written YYYY-MM-DD, got "${opts.date}"`, {
            exitCode: 2,
          });
        }
        const symbols = opts.symbols
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        if (opts.symbols !== undefined && symbols!.length === 0) {
          program.error('error: --symbols needs at least one symbol', { exitCode: 2 });
        }
        const cli = await openCliContext();
        try {
          const started = performance.now();
          const summary = await runSymbolBatch(await cli.pipeline(), {
            date: opts.date,
            symbols,
            backfill: opts.backfill,
            triggeredBy: 'cli',
          });
          const seconds = (performance.now() - started) / 1000;
          if (opts.json) console.log(JSON.stringify({ ...summary, seconds }, null, 2));
          else printSymbolBatch(summary, seconds);
          if (summary.runs.some((r) => r.status === 'failed')) process.exitCode = 1;
        } finally {
          await cli.close();
        }
      },
    );
}

function printSymbolBatch(summary: SymbolBatchSummary, seconds: number): void {
  console.log(
    `Symbol batch: target ${summary.target} (${summary.note}) in ${seconds.toFixed(1)} s`,
  );
  for (const r of summary.runs) {
    console.log(
      `  ${r.date}  ${r.status.padEnd(9)} ${r.symbols} symbols, ${r.pricesWritten} closes written in ${r.priceRequests} request(s), ` +
        `${r.factors?.rowsWritten ?? 0} factor rows` +
        (r.failedSymbols.length ? `, ${r.failedSymbols.length} failed` : '') +
        (r.factors?.insufficientSymbols.length
          ? `, ${r.factors.insufficientSymbols.length} with insufficient history`
          : '') +
        `  [run ${r.batchRunId}]`,
    );
    for (const f of r.failedSymbols.slice(0, 20))
      console.log(`      ${f.symbol}: ${f.code} — ${f.message}`);
    if (r.error) console.log(`      error: ${r.error}`);
  }
  if (summary.excluded.length) {
    console.log(
      `  excluded: ${summary.excluded.map((e) => `${e.symbol} (${e.reason})`).join(', ')}`,
    );
  }
}

function registerPortfolioRefresh(program: Command, batch: Command): void {
  batch
    .command('portfolios')
    .description(
      'portfolio refresh: phases 4–6 and analytics for portfolios missing a complete snapshot',
    )
    .option('--date <date>', 'refresh this date (default: the last completed symbol batch)')
    .option('--mode <mode>', 'fast or full', 'fast')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { date?: string; mode: string; json?: boolean }) => {
      if (opts.date !== undefined && !isIsoDate(opts.date)) {
        program.error(`error: --date must be a date written YYYY-MM-DD, got "${opts.date}"`, {
          exitCode: 2,
        });
      }
      if (opts.mode !== 'fast' && opts.mode !== 'full')
        program.error('error: --mode must be fast or full', { exitCode: 2 });
      const cli = await openCliContext();
      try {
        const summary = await runPortfolioRefresh(await cli.pipeline(), {
          date: opts.date,
          mode: opts.mode as 'fast' | 'full',
          triggeredBy: 'cli',
        });
        if (opts.json) console.log(JSON.stringify(summary, null, 2));
        else {
          console.log(
            `Portfolio refresh for ${summary.date}: ${summary.status}, ${summary.results.length} refreshed, ${summary.failures.length} failed in ${summary.seconds.toFixed(1)} s [run ${summary.batchRunId}]`,
          );
          for (const f of summary.failures) console.log(`  ${f.portfolioId}: ${f.message}`);
        }
        if (summary.status === 'failed') process.exitCode = 1;
      } finally {
        await cli.close();
      }
    });
}
