import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../../../src/db/database.ts';
import { BatchRunRepository } from '../../../../src/db/repositories/batch-run-repository.ts';
import { FactorRepository } from '../../../../src/db/repositories/factor-repository.ts';
import { createLogger } from '../../../../src/logger.ts';
import { getSampleProvider } from '../../../../src/market/create-provider.ts';
import {
  fail,
  ok,
  ProviderError,
  type MarketDataProvider,
} from '../../../../src/market/provider.ts';
import type { PipelineContext } from '../../../../src/pipeline/pipeline-context.ts';
import { runSymbolBatch } from '../../../../src/pipeline/symbol-batch/run-symbol-batch.ts';
import { SymbolCache } from '../../../../src/pipeline/symbol-cache.ts';
import { describeOnEachEngine } from '../../../helpers/test-database.ts';
import { SPEC_FACTOR_NAMES } from '../../../helpers/spec-factor-names.ts';

interface ReferenceValue {
  symbol: string;
  date: string;
  factor: string;
  beta: number;
  r_squared: number;
  observations: number;
}

let sample: MarketDataProvider;
let reference: ReferenceValue[];
beforeAll(async () => {
  sample = await getSampleProvider();
  // test/reference/factors_reference.py: values[symbol][date][factor] = [beta, R², SE, n, flag]
  const fixture = JSON.parse(
    readFileSync(new URL('../../../fixtures/factor-reference.json', import.meta.url), 'utf8'),
  );
  reference = [];
  for (const [symbol, byDate] of Object.entries(
    fixture.bundled.values as Record<string, Record<string, Record<string, unknown[]>>>,
  )) {
    for (const [date, byFactor] of Object.entries(byDate)) {
      for (const [factor, row] of Object.entries(byFactor)) {
        if (!Array.isArray(row)) continue;
        reference.push({
          symbol,
          date,
          factor,
          beta: row[0] as number,
          r_squared: row[1] as number,
          observations: row[3] as number,
        });
      }
    }
  }
});

const logger = createLogger('silent');
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-8 * Math.abs(b) + 1e-14;

describeOnEachEngine('symbol batch on the bundled sample data', ({ database }) => {
  const ctx = (provider: MarketDataProvider = sample): PipelineContext => ({
    db: database().db,
    provider,
    cache: new SymbolCache(),
    logger,
    now: () => new Date('2026-11-23T12:00:00Z'),
  });

  it('computes and stores all 13 factors for a scoped run, matching the NumPy reference', async () => {
    const summary = await runSymbolBatch(ctx(), {
      symbols: ['AAPL', 'XOM', 'TLT'],
      date: '2026-07-31',
      triggeredBy: 'test',
    });
    expect(summary.runs).toHaveLength(1);
    const run = summary.runs[0]!;
    expect(run.status).toBe('completed');
    expect(run.factors!.rowsWritten).toBe(3 * 13);

    const repo = new FactorRepository(database().db);
    const aapl = await repo.getSymbolExposures('AAPL', '2026-07-31');
    expect(aapl.map((r) => r.factorName)).toEqual(SPEC_FACTOR_NAMES);
    const provider = aapl.find((r) => r.factorName === 'Provider Beta (1Y)')!;
    expect(provider.calculationMethod).toBe('provider');

    let compared = 0;
    for (const ref of reference.filter(
      (r) => r.date === '2026-07-31' && ['AAPL', 'XOM', 'TLT'].includes(r.symbol),
    )) {
      const rows = await repo.getSymbolExposures(ref.symbol, ref.date);
      const row = rows.find((r) => r.factorName === ref.factor)!;
      expect(
        close(row.beta, ref.beta),
        `${ref.symbol} ${ref.factor} beta ${row.beta} vs ${ref.beta}`,
      ).toBe(true);
      expect(close(row.rSquared!, ref.r_squared), `${ref.symbol} ${ref.factor} R²`).toBe(true);
      expect(row.observations).toBe(ref.observations);
      compared++;
    }
    expect(compared).toBe(3 * 12);
  });

  it('re-running a date changes nothing', async () => {
    const before = await queryRows<{ beta: number; factor_id: number; symbol: string }>(
      database().db,
      sql`SELECT symbol, factor_id, beta FROM symbol_factor_exposures WHERE calculation_date = '2026-07-31' ORDER BY symbol, factor_id`,
    );
    const prices = await queryRows<{ n: number }>(
      database().db,
      sql`SELECT count(*)::int AS n FROM market_data_cache`,
    );
    const summary = await runSymbolBatch(ctx(), {
      symbols: ['AAPL', 'XOM', 'TLT'],
      date: '2026-07-31',
      triggeredBy: 'test',
    });
    expect(summary.runs[0]!.status).toBe('completed');
    expect(summary.runs[0]!.pricesWritten).toBe(0);
    const after = await queryRows<{ beta: number; factor_id: number; symbol: string }>(
      database().db,
      sql`SELECT symbol, factor_id, beta FROM symbol_factor_exposures WHERE calculation_date = '2026-07-31' ORDER BY symbol, factor_id`,
    );
    expect(after).toEqual(before);
    const pricesAfter = await queryRows<{ n: number }>(
      database().db,
      sql`SELECT count(*)::int AS n FROM market_data_cache`,
    );
    expect(pricesAfter).toEqual(prices);
  });

  it('records an unknown symbol in symbol_universe.last_error and finishes the rest as partial', async () => {
    const summary = await runSymbolBatch(ctx(), {
      symbols: ['MSFT', 'NOTAREALSYMBOL'],
      date: '2026-07-31',
      triggeredBy: 'test',
    });
    const run = summary.runs[0]!;
    expect(run.status).toBe('partial');
    expect(run.failedSymbols.map((f) => [f.symbol, f.code])).toEqual([
      ['NOTAREALSYMBOL', 'unknown_symbol'],
    ]);
    expect(run.factors!.symbolsComputed).toBe(1);
    const [row] = await queryRows<{ last_error: string; consecutive_failures: number }>(
      database().db,
      sql`SELECT last_error, consecutive_failures FROM symbol_universe WHERE symbol = 'NOTAREALSYMBOL'`,
    );
    expect(row!.last_error).toMatch(/^unknown_symbol: /);
    expect(row!.consecutive_failures).toBe(1);
    const stored = await new BatchRunRepository(database().db).get(run.batchRunId);
    expect(stored!.status).toBe('partial');
    // Its profile (phase 0) and its prices (phase 1) both failed; nothing else did.
    expect(stored!.errors).toEqual([
      expect.objectContaining({
        symbol: 'NOTAREALSYMBOL',
        phase: 'phase_0',
        code: 'unknown_symbol',
      }),
      expect.objectContaining({
        symbol: 'NOTAREALSYMBOL',
        phase: 'phase_1',
        code: 'unknown_symbol',
      }),
    ]);
    expect(stored!.phases.map((p) => [p.id, p.status])).toEqual([
      ['phase_0', 'completed'],
      ['phase_1', 'completed'],
      ['phase_2', 'skipped'],
      ['phase_3', 'completed'],
    ]);
  });

  it('treats a fund without an earnings calendar as a fact, not an error: the run stays completed', async () => {
    // The sample has no fundamentals; this provider adds FMP's answers: a calendar for AAPL,
    // `no_data` for TLT (a fund), a timeout for XOM.
    const withEarnings: MarketDataProvider = Object.assign(Object.create(sample), {
      capabilities: { ...sample.capabilities, fundamentals: true },
      async getFundamentals(symbols: readonly string[]) {
        return new Map(
          symbols.map((symbol) => [
            symbol,
            symbol === 'AAPL'
              ? ok({
                  symbol,
                  nextEarningsDate: '2026-10-29',
                  lastEarningsDate: '2026-07-30',
                  trailingEps: null,
                  forwardEps: null,
                  revenueTtm: null,
                })
              : fail(
                  symbol === 'TLT'
                    ? new ProviderError('no_data', `fmp has no earnings for ${symbol}`, 'test')
                    : new ProviderError('timeout', `earnings of ${symbol} timed out`, 'test'),
                ),
          ]),
        );
      },
    });
    const ok1 = await runSymbolBatch(ctx(withEarnings), {
      symbols: ['AAPL', 'TLT'],
      date: '2026-07-31',
      triggeredBy: 'test',
    });
    const first = await new BatchRunRepository(database().db).get(ok1.runs[0]!.batchRunId);
    expect(first!.status).toBe('completed');
    expect(first!.errors).toEqual([]);
    expect(first!.phases.find((p) => p.id === 'phase_2')).toMatchObject({
      status: 'completed',
      current: 2,
      total: 2,
    });
    expect(first!.activityLog.map((e) => e.message)).toContain(
      '1 symbol(s) have no earnings calendar (funds or not covered): TLT',
    );
    const [aapl] = await queryRows<{ next_earnings_date: string }>(
      database().db,
      sql`SELECT next_earnings_date::text AS next_earnings_date FROM company_profiles WHERE symbol = 'AAPL'`,
    );
    expect(aapl!.next_earnings_date).toBe('2026-10-29');

    // A real failure still counts.
    const bad = await runSymbolBatch(ctx(withEarnings), {
      symbols: ['XOM'],
      date: '2026-07-31',
      triggeredBy: 'test',
    });
    const second = await new BatchRunRepository(database().db).get(bad.runs[0]!.batchRunId);
    expect(second!.status).toBe('partial');
    expect(second!.errors).toEqual([
      expect.objectContaining({ symbol: 'XOM', phase: 'phase_2', code: 'timeout' }),
    ]);
  });

  it('reports insufficient_history instead of writing a short-window beta', async () => {
    // 2018-08-14 is the 40th session of the sample: 39 returns, enough for OLS (30), not for spreads (60).
    const summary = await runSymbolBatch(ctx(), {
      symbols: ['KO'],
      date: '2018-08-14',
      triggeredBy: 'test',
    });
    const run = summary.runs[0]!;
    expect(run.factors!.insufficientSymbols).toEqual(['KO']);
    const rows = await new FactorRepository(database().db).getSymbolExposures('KO', '2018-08-14');
    const names = rows.map((r) => r.factorName);
    expect(names).toContain('Market Beta (90D)');
    expect(names).not.toContain('Growth-Value Spread');
    expect(rows.find((r) => r.factorName === 'Market Beta (90D)')!.observations).toBe(39);
    const [u] = await queryRows<{ last_error: string }>(
      database().db,
      sql`SELECT last_error FROM symbol_universe WHERE symbol = 'KO'`,
    );
    expect(u!.last_error).toMatch(/insufficient_history/);
  });

  it('runs the full universe for the latest session and backfills the sessions missed since', async () => {
    const first = await runSymbolBatch(ctx(), { date: '2026-07-28', triggeredBy: 'test' });
    expect(first.runs.map((r) => r.date)).toEqual(['2026-07-28']);
    // Without --date the target is the provider's latest date (2026-07-31); 07-29 and 07-30 were missed.
    const second = await runSymbolBatch(ctx(), { triggeredBy: 'test' });
    expect(second.target).toBe('2026-07-31');
    expect(second.runs.map((r) => r.date)).toEqual(['2026-07-29', '2026-07-30', '2026-07-31']);
    const completed = await new BatchRunRepository(database().db).completedDates(
      'symbol_batch',
      'universe|',
      10,
    );
    expect(completed).toEqual(['2026-07-31', '2026-07-30', '2026-07-29', '2026-07-28']);
  });
});
