import type { Command } from 'commander';
import { isIsoDate } from '../../domain/dates.ts';
import { FactorRepository } from '../../db/repositories/factor-repository.ts';
import { openCliContext } from '../open-cli-context.ts';

export function registerSymbolFactorsCommand(program: Command): void {
  program
    .command('symbol-factors')
    .description("a symbol's 13 factor exposures for a date, as stored by the symbol batch")
    .argument('<symbol>', 'ticker, e.g. AAPL')
    .requiredOption('--date <date>', 'calculation date YYYY-MM-DD')
    .option('--json', 'print JSON: [{factor, beta, r_squared, std_error, observations, method}]')
    .action(async (symbol: string, opts: { date: string; json?: boolean }) => {
      if (!isIsoDate(opts.date)) {
        program.error(`error: --date must be a date written YYYY-MM-DD, got "${opts.date}"`, {
          exitCode: 2,
        });
      }
      const cli = await openCliContext();
      try {
        const rows = await new FactorRepository(cli.database.db).getSymbolExposures(
          symbol.toUpperCase(),
          opts.date,
        );
        const out = rows.map((r) => ({
          factor: r.factorName,
          beta: r.beta,
          r_squared: r.rSquared,
          std_error: r.stdError,
          observations: r.observations,
          method: r.calculationMethod,
        }));
        if (opts.json) {
          console.log(JSON.stringify(out, null, 2));
        } else if (out.length === 0) {
          console.log(
            `No factor exposures for ${symbol.toUpperCase()} on ${opts.date}. Run \`betaboard batch symbols --date ${opts.date} --symbols ${symbol.toUpperCase()}\` first.`,
          );
        } else {
          for (const r of out) {
            console.log(
              `${r.factor.padEnd(22)} ${r.beta.toFixed(4).padStart(9)}  R² ${r.r_squared === null ? '   —  ' : r.r_squared.toFixed(3)}  n=${r.observations}  ${r.method}`,
            );
          }
        }
        if (out.length === 0) process.exitCode = 1;
      } finally {
        await cli.close();
      }
    });
}
