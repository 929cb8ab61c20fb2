import { tradingSessionsBetween } from '../../domain/calendar/index.ts';
import { netBySymbol, type ValuedPosition } from '../../domain/concentration/index.ts';
import {
  computeCorrelationMatrix,
  CORRELATION_DEFAULTS,
  effectiveCount,
} from '../../domain/correlation/index.ts';
import { addDays } from '../../domain/dates.ts';
import type { Db } from '../../db/database.ts';
import { AnalyticsReadRepository } from '../../db/repositories/analytics-read-repository.ts';
import {
  CorrelationRepository,
  type StoredCorrelation,
} from '../../db/repositories/correlation-repository.ts';
import { MarketDataRepository } from '../../db/repositories/market-data-repository.ts';
import { PositionRepository, type PositionRow } from '../../db/repositories/position-repository.ts';
import { CORRELATION_LOOKBACK_DAYS } from '../../domain/correlation/lookback.ts';
import {
  aggregateEnvelope,
  INSUFFICIENT_DATA,
  NO_CALCULATION,
  portfolioEnvelope,
  latestSnapshotMembers,
} from './envelope.ts';
import type {
  AggregateCorrelation,
  CorrelationData,
  CorrelationMetadata,
  PortfolioCorrelation,
} from './schemas.ts';

/** Query bounds: 20 returns is the SPEC's minimum pair overlap, 504 two years of sessions. */
export const CORRELATION_LIMITS = {
  defaultLookbackDays: CORRELATION_LOOKBACK_DAYS,
  minLookbackDays: 20,
  maxLookbackDays: 504,
  minOverlap: 2,
  defaultMinOverlap: CORRELATION_DEFAULTS.minOverlap,
  maxSymbols: 200,
  defaultMaxSymbols: 50,
} as const;

export interface CorrelationOptions {
  lookbackDays?: number | undefined;
  minOverlap?: number | undefined;
  maxSymbols?: number | undefined;
}

interface Settings {
  lookbackDays: number;
  minOverlap: number;
  maxSymbols: number;
}

interface MatrixAnswer {
  data: CorrelationData;
  metadata: CorrelationMetadata;
}

function settingsOf(options: CorrelationOptions): Settings {
  return {
    lookbackDays: options.lookbackDays ?? CORRELATION_LOOKBACK_DAYS,
    minOverlap: options.minOverlap ?? CORRELATION_LIMITS.defaultMinOverlap,
    maxSymbols: options.maxSymbols ?? CORRELATION_LIMITS.defaultMaxSymbols,
  };
}

function emptyAnswer(s: Settings): MatrixAnswer {
  return {
    data: {
      matrix: {},
      average_correlation: null,
      effective_positions: null,
      data_quality: null,
      symbols: [],
    },
    metadata: {
      lookback_days: s.lookbackDays,
      min_overlap: s.minOverlap,
      max_symbols: s.maxSymbols,
      positions_included: 0,
      positions_excluded: 0,
      excluded: [],
      source: null,
      window_start: null,
      window_end: null,
    },
  };
}

/** `{SYM: {SYM: r}}` from a square matrix in `symbols` order. */
function nestedMatrix(symbols: readonly string[], matrix: readonly (readonly (number | null)[])[]) {
  return Object.fromEntries(
    symbols.map((a, i) => [a, Object.fromEntries(symbols.map((b, j) => [b, matrix[i]![j]!]))]),
  );
}

/** The largest `max` holdings by |value| are correlated; the rest are reported as cut. */
function capHoldings(positions: readonly ValuedPosition[], max: number) {
  const netted = netBySymbol(positions)
    .filter((p) => p.marketValue !== 0)
    .sort(
      (a, b) => Math.abs(b.marketValue) - Math.abs(a.marketValue) || (a.symbol < b.symbol ? -1 : 1),
    );
  return { kept: netted.slice(0, max), cut: netted.slice(max) };
}

/**
 * The matrix computed from stored closes: log returns over `lookbackDays` sessions ending at
 * `date`, with SPEC §7's inclusion thresholds, over at most `maxSymbols` of the largest holdings
 * (the cap bounds the price rows read and the pairs computed).
 */
async function computeFromCloses(
  db: Db,
  positions: readonly ValuedPosition[],
  nav: number,
  date: string,
  s: Settings,
): Promise<MatrixAnswer> {
  const { kept, cut } = capHoldings(positions, s.maxSymbols);
  // ~1.45 calendar days per session, plus slack for holiday clusters.
  const sessions = tradingSessionsBetween(
    addDays(date, -Math.ceil(s.lookbackDays * 1.5) - 14),
    date,
  );
  const series = await new MarketDataRepository(db).getCloseSeriesMany(
    kept.map((p) => p.symbol),
    sessions[0] ?? date,
    date,
  );
  const index = new Map(sessions.map((d, i) => [d, i]));
  const closes = new Map<string, Float64Array>();
  for (const [symbol, { dates, closes: values }] of series) {
    const aligned = new Float64Array(sessions.length).fill(NaN);
    dates.forEach((d, k) => {
      const i = index.get(d);
      if (i !== undefined) aligned[i] = values[k]!;
    });
    closes.set(symbol, aligned);
  }
  const result = computeCorrelationMatrix({
    dates: sessions,
    closes,
    positions: kept,
    nav,
    asOf: date,
    lookbackDays: s.lookbackDays,
    minOverlap: s.minOverlap,
  });
  const excluded = [
    ...result.excluded.map((e) => ({ symbol: e.symbol, reason: e.reason as string })),
    ...cut.map((c) => ({ symbol: c.symbol, reason: 'max_symbols' })),
  ];
  return {
    data: {
      matrix: nestedMatrix(result.symbols, result.matrix),
      average_correlation: result.overallCorrelation,
      effective_positions: result.effectivePositions,
      data_quality: result.dataQuality,
      symbols: result.symbols,
    },
    metadata: {
      lookback_days: s.lookbackDays,
      min_overlap: s.minOverlap,
      max_symbols: s.maxSymbols,
      positions_included: result.symbols.length,
      positions_excluded: excluded.length,
      excluded,
      source: 'computed',
      window_start: result.windowStart,
      window_end: result.windowEnd,
    },
  };
}

interface StoredDetail {
  symbol: string;
  marketValue: number | null;
  reason?: string;
}

function detailsOf(stored: StoredCorrelation): {
  included: StoredDetail[];
  excluded: StoredDetail[];
} {
  const d = stored.positionDetails as {
    included?: { symbol?: unknown; market_value?: unknown }[];
    excluded?: { symbol?: unknown; market_value?: unknown; reason?: unknown }[];
  } | null;
  const read = (x: { symbol?: unknown; market_value?: unknown; reason?: unknown }) => ({
    symbol: String(x.symbol),
    marketValue: typeof x.market_value === 'number' ? x.market_value : null,
    ...(x.reason === undefined ? {} : { reason: String(x.reason) }),
  });
  let included = Array.isArray(d?.included) ? d.included.map(read) : [];
  if (included.length === 0) {
    // Without the details, the symbols are those of the pairs (no sizes to order them by).
    const symbols = new Set(stored.pairs.flatMap((p) => [p.symbol1, p.symbol2]));
    included = [...symbols].sort().map((symbol) => ({ symbol, marketValue: null }));
  }
  const excluded = Array.isArray(d?.excluded) ? d.excluded.map(read) : [];
  return { included, excluded };
}

/**
 * The stored matrix of the nightly calculation. With more included holdings than `maxSymbols`,
 * the largest ones are shown and the average and effective count are recomputed over exactly
 * the pairs shown, so every figure of the answer describes the same matrix.
 */
function fromStored(stored: StoredCorrelation, s: Settings): MatrixAnswer {
  const { included, excluded } = detailsOf(stored);
  const shown = included.slice(0, s.maxSymbols);
  const cut = included.slice(s.maxSymbols);
  const pairs = new Map<string, number>();
  for (const p of stored.pairs) {
    pairs.set(`${p.symbol1}\u0000${p.symbol2}`, p.correlation);
    pairs.set(`${p.symbol2}\u0000${p.symbol1}`, p.correlation);
  }
  const symbols = shown.map((h) => h.symbol);
  const matrix = symbols.map((a) =>
    symbols.map((b) => (a === b ? 1 : (pairs.get(`${a}\u0000${b}`) ?? null))),
  );
  let average = stored.overallCorrelation;
  let effective = stored.effectivePositions;
  if (cut.length > 0) {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < symbols.length; i++) {
      for (let j = i + 1; j < symbols.length; j++) {
        const r = matrix[i]![j];
        if (r !== null && r !== undefined) {
          sum += Math.abs(r);
          count++;
        }
      }
    }
    average = count > 0 ? sum / count : null;
    const gross = shown.reduce((t, h) => t + Math.abs(h.marketValue ?? 0), 0);
    effective =
      gross > 0
        ? effectiveCount(
            shown.map((h) => (h.marketValue ?? 0) / gross),
            matrix,
          )
        : null;
  }
  const allExcluded = [
    ...excluded.map((e) => ({ symbol: e.symbol, reason: e.reason ?? 'excluded' })),
    ...cut.map((c) => ({ symbol: c.symbol, reason: 'max_symbols' })),
  ];
  return {
    data: {
      matrix: nestedMatrix(symbols, matrix),
      average_correlation: average,
      effective_positions: effective,
      data_quality: stored.dataQuality,
      symbols,
    },
    metadata: {
      lookback_days: s.lookbackDays,
      min_overlap: s.minOverlap,
      max_symbols: s.maxSymbols,
      positions_included: symbols.length,
      positions_excluded: allExcluded.length,
      excluded: allExcluded,
      source: 'stored',
      window_start: null,
      window_end: null,
    },
  };
}

/** Public holdings with a value on the last refresh: the only ones with their own prices. */
function publicHoldings(positions: readonly PositionRow[]): ValuedPosition[] {
  return positions
    .filter((p) => p.investmentClass === 'PUBLIC' && p.marketValue !== null && p.marketValue !== 0)
    .map((p) => ({ symbol: p.symbol, marketValue: p.marketValue! }));
}

const reasonOf = (answer: MatrixAnswer) =>
  answer.data.average_correlation === null ? INSUFFICIENT_DATA : null;

/**
 * GET /analytics/portfolio/{id}/correlation-matrix. The nightly calculation's stored matrix
 * answers the default request (its lookback and minimum overlap); any other lookback or overlap
 * is computed on the fly from stored closes for the latest snapshot date, the holdings valued as
 * in that refresh. `average_correlation` is null only when unavailable (fewer than two holdings
 * with enough overlapping returns: reason insufficient_data).
 */
export async function portfolioCorrelationMatrix(
  db: Db,
  portfolioId: string,
  options: CorrelationOptions,
): Promise<PortfolioCorrelation> {
  const s = settingsOf(options);
  if (s.lookbackDays === CORRELATION_LOOKBACK_DAYS) {
    const stored = await new CorrelationRepository(db).latest(portfolioId, s.lookbackDays);
    const storedOverlap = stored
      ? await new AnalyticsReadRepository(db).correlationMinOverlap(stored.id)
      : null;
    if (stored && storedOverlap === s.minOverlap) {
      const answer = fromStored(stored, s);
      return {
        ...portfolioEnvelope(portfolioId, stored.calculationDate, reasonOf(answer)),
        ...answer,
      };
    }
  }
  const snapshot = (await new AnalyticsReadRepository(db).latestSnapshots([portfolioId])).get(
    portfolioId,
  );
  if (!snapshot)
    return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), ...emptyAnswer(s) };
  if (!(snapshot.netAssetValue > 0)) {
    // The minimum-weight rule divides by NAV; with no equity there is no meaningful matrix.
    return {
      ...portfolioEnvelope(portfolioId, snapshot.snapshotDate, INSUFFICIENT_DATA),
      ...emptyAnswer(s),
    };
  }
  const positions = await new PositionRepository(db).listPositions(portfolioId);
  const answer = await computeFromCloses(
    db,
    publicHoldings(positions),
    snapshot.netAssetValue,
    snapshot.snapshotDate,
    s,
  );
  return { ...portfolioEnvelope(portfolioId, snapshot.snapshotDate, reasonOf(answer)), ...answer };
}

/**
 * GET /analytics/aggregate/correlation-matrix: always computed, over the user's public holdings
 * netted per symbol across portfolios (one AAPL in three accounts is one bet), with the summed
 * NAV as the base of the weight threshold, for the most recent snapshot date among them.
 */
export async function aggregateCorrelationMatrix(
  db: Db,
  userId: string,
  options: CorrelationOptions,
): Promise<AggregateCorrelation> {
  const s = settingsOf(options);
  const { all, members } = await latestSnapshotMembers(db, userId);
  const envelope = aggregateEnvelope(all, members);
  if (!envelope.available) return { ...envelope, ...emptyAnswer(s) };
  const nav = members.reduce((t, m) => t + m.nav, 0);
  if (!(nav > 0))
    return { ...envelope, available: false, reason: INSUFFICIENT_DATA, ...emptyAnswer(s) };
  const positionsOf = await new PositionRepository(db).listPositionsOf(
    members.map((m) => m.portfolio.id),
  );
  const answer = await computeFromCloses(
    db,
    [...positionsOf.values()].flatMap(publicHoldings),
    nav,
    envelope.calculation_date!,
    s,
  );
  const reason = reasonOf(answer);
  return { ...envelope, available: reason === null, reason, ...answer };
}
