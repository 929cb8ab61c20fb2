import { readFileSync, statSync } from 'node:fs';
import { newPositionsFromCsv } from '../../pipeline/onboarding/new-positions-from-csv.ts';
import path from 'node:path';
import type { Command } from 'commander';
import { isIsoDate } from '../../domain/dates.ts';
import {
  MAX_CSV_BYTES,
  parsePositionsCsv,
  type ParsePositionsCsvResult,
} from '../../domain/csv/parse-positions-csv.ts';
import { ACCOUNT_TYPES, type AccountType } from '../../db/schema/enums.ts';
import {
  DuplicateAccountNameError,
  PortfolioRepository,
} from '../../db/repositories/portfolio-repository.ts';
import {
  calculatePortfolio,
  type CalculatePortfolioResult,
} from '../../pipeline/onboarding/calculate-portfolio.ts';
import { buildPortfolioReport } from '../../pipeline/reports/portfolio-report.ts';
import { openCliContext } from '../open-cli-context.ts';
import { ensureCliUser } from '../cli-user.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exits with code 2 and the message: bad input on the command line. */
type Fail = (message: string) => never;

interface CreateOptions {
  csv: string;
  name: string;
  account: string;
  equity: string;
  accountType: string;
  user: string;
}

export function registerPortfolioCommand(program: Command): void {
  const portfolio = program
    .command('portfolio')
    .description('create, calculate and report portfolios');
  const fail: Fail = (message) => program.error(`error: ${message}`, { exitCode: 2 });
  registerCreate(portfolio, fail);
  registerCalculate(portfolio, fail);
  registerReport(portfolio, fail);
}

function registerCreate(portfolio: Command, fail: Fail): void {
  portfolio
    .command('create')
    .description(
      'create a portfolio from a positions CSV (see the template: GET /api/v1/onboarding/csv-template)',
    )
    .requiredOption('--csv <file>', 'positions CSV file')
    .requiredOption('--name <name>', 'portfolio name')
    .requiredOption('--account <account>', 'account name (unique per user)')
    .requiredOption('--equity <amount>', 'equity balance (NAV) on the calculation date')
    .option('--account-type <type>', `one of ${ACCOUNT_TYPES.join(', ')}`, 'taxable')
    .option(
      '--user <email>',
      'owner (created without a password if missing)',
      'demo@betaboard.local',
    )
    .action(async (opts: CreateOptions) => {
      checkCreateOptions(opts, fail);
      const parsed = readPositionsCsv(opts.csv, fail);
      if (!parsed) return;
      const cli = await openCliContext();
      try {
        const user = await ensureCliUser(cli.database.db, opts.user);
        const created = await new PortfolioRepository(cli.database.db).createWithPositions({
          userId: user.id,
          name: opts.name.trim(),
          accountName: opts.account.trim(),
          accountType: opts.accountType as AccountType,
          equityBalance: opts.equity,
          positions: newPositionsFromCsv(parsed.positions),
        });
        console.log(
          `Created portfolio ${created.id} "${created.name}" with ${parsed.positions.length} position(s).`,
        );
        console.log(`Next: npx betaboard portfolio calculate ${created.id}`);
      } catch (error) {
        if (error instanceof DuplicateAccountNameError) fail(`${error.message} [ERR_PORT_001]`);
        throw error;
      } finally {
        await cli.close();
      }
    });
}

function checkCreateOptions(opts: CreateOptions, fail: Fail): void {
  const equity = Number(opts.equity);
  if (!Number.isFinite(equity) || equity <= 0 || equity > 1e12)
    fail(`--equity must be a number above 0 and at most 1e12, got "${opts.equity}"`);
  if (!ACCOUNT_TYPES.includes(opts.accountType as AccountType))
    fail(`--account-type must be one of ${ACCOUNT_TYPES.join(', ')}`);
  if (!opts.name.trim() || opts.name.length > 255) fail('--name must be 1–255 characters');
  if (!opts.account.trim() || opts.account.length > 100) fail('--account must be 1–100 characters');
}

/**
 * The positions of a CSV file; null (exit code 2, the file's errors printed) when any row is
 * bad — nothing is created from a partly valid file.
 */
function readPositionsCsv(file: string, fail: Fail): ParsePositionsCsvResult | null {
  let bytes: Uint8Array;
  try {
    const size = statSync(file).size;
    if (size > MAX_CSV_BYTES) fail(`${file} is ${size} bytes; the limit is 10 MB [ERR_CSV_001]`);
    bytes = readFileSync(file);
  } catch (error) {
    fail(`cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = parsePositionsCsv({
    bytes: bytes!,
    today: new Date().toISOString().slice(0, 10),
    fileName: path.basename(file),
  });
  if (parsed.totalErrors > 0) {
    console.error(`${file}: ${parsed.totalErrors} error(s); nothing was created.`);
    for (const e of parsed.errors.slice(0, 100)) {
      console.error(
        `  line ${e.row}${e.field ? ` ${e.field}` : ''}${e.symbol ? ` (${e.symbol})` : ''}: ${e.code} ${e.message}`,
      );
    }
    process.exitCode = 2;
    return null;
  }
  return parsed;
}

function registerCalculate(portfolio: Command, fail: Fail): void {
  portfolio
    .command('calculate')
    .description('classify symbols, process new ones, then P&L, factors, stress and analytics')
    .argument('<id>', 'portfolio id')
    .option('--date <date>', 'calculation date YYYY-MM-DD (default: latest completed session)')
    .option(
      '--mode <mode>',
      'fast (only missing days) or full (recompute the whole history)',
      'fast',
    )
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { date?: string; mode: string; json?: boolean }) => {
      if (!UUID.test(id)) fail(`"${id}" is not a portfolio id (a UUID)`);
      if (opts.date !== undefined && !isIsoDate(opts.date))
        fail(`--date must be YYYY-MM-DD, got "${opts.date}"`);
      if (opts.mode !== 'fast' && opts.mode !== 'full')
        fail(`--mode must be fast or full, got "${opts.mode}"`);
      const cli = await openCliContext();
      try {
        if (!(await new PortfolioRepository(cli.database.db).get(id)))
          fail(`portfolio ${id} not found`);
        const started = performance.now();
        const result = await calculatePortfolio(await cli.pipeline(), id, {
          date: opts.date,
          mode: opts.mode as 'fast' | 'full',
          triggeredBy: 'cli',
        });
        const seconds = (performance.now() - started) / 1000;
        if (opts.json) console.log(JSON.stringify({ ...result, seconds }, null, 2));
        else printCalculation(result, seconds);
        if (result.status === 'failed') process.exitCode = 1;
      } finally {
        await cli.close();
      }
    });
}

function printCalculation(result: CalculatePortfolioResult, seconds: number): void {
  console.log(
    `${result.status} in ${seconds.toFixed(2)} s for ${result.date} [run ${result.batchRunId}]`,
  );
  console.log(
    `  symbols: ${result.knownSymbols.length} known, ${result.unknownSymbols.length} new`,
  );
  for (const f of result.failedSymbols) console.log(`  no data for ${f.symbol}: ${f.code}`);
  if (result.refresh)
    console.log(
      `  NAV ${result.refresh.netAssetValue?.toFixed(2)}; ${result.refresh.snapshotsWritten} snapshot(s) written`,
    );
  if (result.error) console.log(`  error: ${result.error}`);
}

function registerReport(portfolio: Command, fail: Fail): void {
  portfolio
    .command('report')
    .description(
      'snapshot, positions, factor exposures, stress results, correlations, volatility, concentration',
    )
    .argument('<id>', 'portfolio id')
    .option('--date <date>', 'calculation date (default: the latest calculated)')
    .option('--json', 'print JSON (the default output)')
    .action(async (id: string, opts: { date?: string }) => {
      if (!UUID.test(id)) fail(`"${id}" is not a portfolio id (a UUID)`);
      if (opts.date !== undefined && !isIsoDate(opts.date))
        fail(`--date must be YYYY-MM-DD, got "${opts.date}"`);
      const cli = await openCliContext();
      try {
        const report = await buildPortfolioReport(cli.database.db, id, opts.date);
        if (!report) fail(`portfolio ${id} not found`);
        console.log(JSON.stringify(report, null, 2));
      } finally {
        await cli.close();
      }
    });
}
