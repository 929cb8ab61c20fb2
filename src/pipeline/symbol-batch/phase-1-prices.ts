import { addDays } from '../../domain/dates.ts';
import {
  MarketDataRepository,
  type DailyClose,
} from '../../db/repositories/market-data-repository.ts';
import { SymbolUniverseRepository } from '../../db/repositories/symbol-universe-repository.ts';
import { TreasuryBillRateRepository } from '../../db/repositories/treasury-bill-rate-repository.ts';
import { STRESS_FACTOR_ETFS } from '../../domain/stress/stress-factors.ts';
import type { ProviderError } from '../../market/provider.ts';
import { sourcesOf } from '../../market/registry.ts';
import { chunk, mapWithConcurrency, PROVIDER_CALL_CONCURRENCY } from '../concurrency.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import type { RunRecorder } from '../run-recorder.ts';

/** At least this much history is kept for every symbol (SPEC §8). */
export const MIN_LOOKBACK_DAYS = 365;

/**
 * The stress-factor ETFs are kept back to this date (each from its first session): historical
 * stress windows (2000, 2008, 2020) and users' own windows are replayed from their closes.
 */
export const STRESS_HISTORY_FROM = '1993-01-01';
const STRESS_ETFS: ReadonlySet<string> = new Set(Object.values(STRESS_FACTOR_ETFS));

export interface PricePhaseResult {
  rowsWritten: number;
  requests: number;
  /** Symbols whose fetch failed this run, with the provider's error. */
  failed: Map<string, ProviderError>;
}

interface FetchRange {
  from: string;
  to: string;
}

/**
 * What to ask the provider for, per symbol: only the ranges the cache table lacks — the tail
 * after the last stored close, and the head before the first one unless history from that far
 * back was already requested (a young listing has none, and is not asked again every night).
 */
export function planPriceRanges(
  symbols: readonly string[],
  coverage: Map<string, { first: string; last: string }>,
  historyRequestedFrom: Map<string, string | null>,
  wantFromOf: string | ((symbol: string) => string),
  target: string,
): Map<string, FetchRange[]> {
  const plan = new Map<string, FetchRange[]>();
  for (const symbol of symbols) {
    const wantFrom = typeof wantFromOf === 'string' ? wantFromOf : wantFromOf(symbol);
    const cov = coverage.get(symbol);
    const ranges: FetchRange[] = [];
    if (!cov) {
      ranges.push({ from: wantFrom, to: target });
    } else {
      if (cov.last < target) ranges.push({ from: addDays(cov.last, 1), to: target });
      const askedFrom = historyRequestedFrom.get(symbol) ?? cov.first;
      if (askedFrom > wantFrom && cov.first > wantFrom) {
        ranges.push({ from: wantFrom, to: addDays(cov.first, -1) });
      }
    }
    if (ranges.length > 0) plan.set(symbol, ranges);
  }
  return plan;
}

/** Phase 1: adjusted daily closes for the missing ranges, chunked per provider limits, bulk-upserted. */
export async function runPricePhase(
  ctx: PipelineContext,
  rec: RunRecorder | null,
  symbols: readonly string[],
  target: string,
  lookbackFrom?: string,
): Promise<PricePhaseResult> {
  const fetched = await fetchPrices(ctx, symbols, target, lookbackFrom, async (started, done) => {
    if (started !== null) await rec?.start('phase_1', started);
    else await rec?.progress('phase_1', done);
  });
  for (const [symbol, error] of fetched.failed) {
    rec?.error({ symbol, phase: 'phase_1', code: error.code, message: error.message });
  }
  rec?.log(pricesLogLine(fetched, symbols.length), fetched.failed.size > 0 ? 'warning' : 'info');
  await fetchBillRates(ctx, rec, target);
  await rec?.complete('phase_1');
  return fetched;
}

/** A price fetch as a chunk reports it to its parent (JSON: no Map, no Error). */
export interface PriceChunkResult {
  rowsWritten: number;
  requests: number;
  /** Symbols that needed data. */
  needed: number;
  failed: { symbol: string; code: string; message: string }[];
}

export interface PriceChunkPayload {
  symbols: string[];
  date: string;
  historyFrom?: string;
}

/** One chunk of the symbol batch's price phase: `fetchPrices` for its symbols. */
export async function runPriceChunk(
  ctx: PipelineContext,
  payload: PriceChunkPayload,
): Promise<PriceChunkResult> {
  const r = await fetchPrices(ctx, payload.symbols, payload.date, payload.historyFrom);
  return {
    rowsWritten: r.rowsWritten,
    requests: r.requests,
    needed: r.needed,
    failed: [...r.failed].map(([symbol, e]) => ({ symbol, code: e.code, message: e.message })),
  };
}

export function pricesLogLine(
  r: {
    needed: number;
    requests: number;
    rowsWritten: number;
    failed: { size: number; keys(): Iterable<string> };
  },
  symbols: number,
): string {
  const failed = [...r.failed.keys()];
  return (
    `Prices: ${r.needed} of ${symbols} symbol(s) needed data; ${r.requests} request(s), ${r.rowsWritten} close(s) written` +
    (failed.length > 0
      ? `, ${failed.length} failed (${failed.slice(0, 10).join(', ')}${failed.length > 10 ? ', …' : ''})`
      : '')
  );
}

/**
 * The provider ranges `symbols` lack up to `target` (and back to `lookbackFrom`), fetched and
 * upserted, with what was asked and what failed recorded on the symbols. Idempotent: a second
 * call for the same symbols asks only for what is still missing and rewrites nothing else.
 * `progress` gets the count of symbols needing data first (`started`), then symbols done.
 */
export async function fetchPrices(
  ctx: PipelineContext,
  symbols: readonly string[],
  target: string,
  lookbackFrom?: string,
  progress?: (started: number | null, done: number) => Promise<void>,
): Promise<PricePhaseResult & { needed: number }> {
  const market = new MarketDataRepository(ctx.db);
  const universe = new SymbolUniverseRepository(ctx.db);
  const minFrom = addDays(target, -MIN_LOOKBACK_DAYS);
  const wantFrom = lookbackFrom && lookbackFrom < minFrom ? lookbackFrom : minFrom;
  const wantFromOf = (symbol: string) =>
    STRESS_ETFS.has(symbol) && STRESS_HISTORY_FROM < wantFrom ? STRESS_HISTORY_FROM : wantFrom;

  const [coverage, registered] = await Promise.all([
    market.getCoverage(symbols),
    universe.get(symbols),
  ]);
  const requested = new Map([...registered].map(([s, e]) => [s, e.historyRequestedFrom]));
  const plan = planPriceRanges(symbols, coverage, requested, wantFromOf, target);
  const requests = providerRequests(plan, ctx.provider.maxSymbolsPerRequest);

  await progress?.(plan.size, 0);
  const failed = new Map<string, ProviderError>();
  const hadHistory = new Set(coverage.keys());
  let rowsWritten = 0;
  let symbolsDone = 0;
  await mapWithConcurrency(requests, PROVIDER_CALL_CONCURRENCY, async (request) => {
    rowsWritten += await fetchRequest(ctx, market, request, hadHistory, failed);
    symbolsDone += request.symbols.length;
    await progress?.(null, Math.min(symbolsDone, plan.size));
  });

  const asked = [...plan.keys()].filter((s) => !failed.has(s));
  const askedStress = asked.filter((s) => STRESS_ETFS.has(s));
  await universe.recordHistoryRequested(
    asked.filter((s) => !STRESS_ETFS.has(s)),
    wantFrom,
  );
  if (askedStress.length > 0) {
    // Registered (they belong to every nightly universe anyway) so the deep request is
    // remembered even when an onboarding on an empty database is the first to price them.
    await universe.register(
      askedStress.map((symbol) => ({ symbol, assetType: 'etf' as const })),
      target,
    );
    await universe.recordHistoryRequested(askedStress, wantFromOf(askedStress[0]!));
  }
  await universe.recordFailures(
    [...failed].map(([symbol, e]) => ({ symbol, error: `${e.code}: ${e.message}` })),
  );
  return { rowsWritten, requests: requests.length, failed, needed: plan.size };
}

/** Symbols asking for the same range travel together, in chunks the provider accepts. */
function providerRequests(
  plan: Map<string, FetchRange[]>,
  maxSymbolsPerRequest: number,
): { range: FetchRange; symbols: string[] }[] {
  const groups = new Map<string, { range: FetchRange; symbols: string[] }>();
  for (const [symbol, ranges] of plan) {
    for (const range of ranges) {
      const key = `${range.from}|${range.to}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { range, symbols: [] }));
      g.symbols.push(symbol);
    }
  }
  const size = Math.max(1, maxSymbolsPerRequest);
  return [...groups.values()].flatMap((g) =>
    chunk(g.symbols, size).map((symbols) => ({ range: g.range, symbols })),
  );
}

/** One provider request: its closes upserted (per answering source), its failures collected. */
async function fetchRequest(
  ctx: PipelineContext,
  market: MarketDataRepository,
  { range, symbols: group }: { range: FetchRange; symbols: string[] },
  hadHistory: ReadonlySet<string>,
  failed: Map<string, ProviderError>,
): Promise<number> {
  const results = await ctx.provider.getDailyCloses(group, range.from, range.to);
  // Behind a fallback chain each symbol records the provider that actually answered it.
  const sources = sourcesOf(results);
  const rowsBySource = new Map<string, DailyClose[]>();
  const fetched: { symbol: string; dates: string[]; closes: number[] }[] = [];
  for (const symbol of group) {
    const r = results.get(symbol);
    if (!r) continue;
    if (!r.ok) {
      // "No new rows" for a symbol we already hold is not a failure (e.g. a provider lagging a day).
      if (r.error.code === 'no_data' && hadHistory.has(symbol)) continue;
      failed.set(symbol, r.error);
      continue;
    }
    const dates: string[] = [];
    const closes: number[] = [];
    const source = sources?.get(symbol) ?? ctx.provider.name;
    let rows = rowsBySource.get(source);
    if (!rows) rowsBySource.set(source, (rows = []));
    for (const bar of r.value) {
      rows.push({ symbol, date: bar.date, close: bar.close });
      dates.push(bar.date);
      closes.push(bar.close);
    }
    fetched.push({ symbol, dates, closes });
  }
  let written = 0;
  for (const [source, rows] of rowsBySource) {
    await market.upsertCloses(rows, source);
    written += rows.length;
  }
  // The cache merges a range adjacent to what it holds and replaces a disjoint one.
  for (const f of fetched) ctx.cache.putPrices(f.symbol, range.from, range.to, f.dates, f.closes);
  return written;
}

/**
 * The 3-month bill quotes after the last stored one (from STRESS_HISTORY_FROM the first time):
 * the options' risk-free rate and the Sharpe hurdle. A provider without the series is not a
 * failure: options then use the 4% default and each run and snapshot says so.
 */
export async function fetchBillRates(
  ctx: PipelineContext,
  rec: RunRecorder | null,
  target: string,
): Promise<void> {
  const { provider } = ctx;
  if (!provider.capabilities.treasuryBillRates || !provider.getTreasuryBillRates) {
    rec?.log(
      `Rates: ${provider.name} has no 3-month Treasury bill series; options use the 4% default rate`,
    );
    return;
  }
  const repository = new TreasuryBillRateRepository(ctx.db);
  const coverage = await repository.coverage();
  const from = coverage ? addDays(coverage.last, 1) : STRESS_HISTORY_FROM;
  if (from > target) return;
  const result = await provider.getTreasuryBillRates(from, target);
  if (!result.ok) {
    if (result.error.code !== 'no_data') {
      rec?.log(`Rates: 3-month bill quotes not updated: ${result.error.message}`, 'warning');
    }
    return;
  }
  const written = await repository.upsert(result.value, provider.name);
  ctx.cache.invalidateBillRates();
  rec?.log(`Rates: ${written} 3-month bill quote(s) stored, to ${result.value.at(-1)?.date}`);
}
