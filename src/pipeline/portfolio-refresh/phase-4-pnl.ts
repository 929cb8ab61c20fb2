import { computePortfolioHistory } from '../../domain/pnl/compute-portfolio-history.ts';
import type { HistoryWindow } from '../../domain/pnl/history-window.ts';
import { DEFAULT_RISK_FREE_RATE } from '../../domain/options/option-pricing.ts';
import type { CapitalFlow, DailySnapshot, DataIssue } from '../../domain/pnl/types.ts';
import type { PositionRow } from '../../db/repositories/position-repository.ts';
import type { RefreshAnchor } from '../../db/repositories/portfolio-repository.ts';
import type { SnapshotPnlRow } from '../../db/repositories/snapshot-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import {
  makePriceSource,
  priceSymbolsOf,
  toPnlPosition,
  volatilitySessions,
} from './build-pnl-inputs.ts';
import { optionTermsOf } from '../../domain/positions/option-terms.ts';
import type { OptionType } from '../../domain/positions/value-sets.ts';

export type RefreshMode = 'fast' | 'full';

export interface LiveOption {
  delta: number;
  underlying: string;
  underlyingPrice: number;
  kind: OptionType;
  strike: number;
  years: number;
  rate: number;
  volatility: number;
  price: number;
}

export interface PnlPhaseResult {
  /** The snapshot of the target date. */
  latest: DailySnapshot;
  sessions: string[];
  snapshotsWritten: number;
  /** Closes used, aligned to `sessions` (reused by the analytics phases). */
  closes: Map<string, Float64Array>;
  history: DailySnapshot[];
  greeks: { delta: number; gamma: number; theta: number; vega: number };
  /** Per live option on the target day: its model inputs, per-share delta and value. */
  optionDeltas: Map<string, LiveOption>;
}

export interface PnlPhaseOutput {
  pnl: PnlPhaseResult;
  /** The rows to write; the target day's is completed by the analytics. */
  snapshotRows: SnapshotPnlRow[];
  /** Positions' latest marks. */
  valuations: PositionValuation[];
}

export interface PositionValuation {
  id: string;
  lastPrice: number | null;
  marketValue: number | null;
  unrealizedPnl: number | null;
}

/** The closes and bill rates a portfolio's history is priced from (read through the cache). */
export interface PnlMarketData {
  closes: Map<string, Float64Array>;
  volatilityCloses?: { closes: Map<string, Float64Array>; offset: number };
  riskFreeRates: (number | null)[];
}

/** Reads the market data of a history window: closes, and for options the lead and bill rates. */
export async function loadPnlMarketData(
  ctx: PipelineContext,
  window: HistoryWindow<PositionRow>,
): Promise<PnlMarketData> {
  const { live, sessions } = window;
  const closes = await ctx.cache.getAlignedCloses(ctx.db, priceSymbolsOf(live), sessions);
  const underlyings = [...new Set(live.flatMap((p) => optionTermsOf(p)?.underlying ?? []))];
  if (underlyings.length === 0) return { closes, riskFreeRates: [] };
  const lead = volatilitySessions(sessions);
  const volatilityCloses = {
    closes: await ctx.cache.getAlignedCloses(ctx.db, underlyings, lead.sessions),
    offset: lead.offset,
  };
  const riskFreeRates = await ctx.cache.getBillRates(ctx.db, sessions);
  return { closes, volatilityCloses, riskFreeRates };
}

export interface PnlPhaseInput {
  portfolio: RefreshAnchor;
  positions: readonly PositionRow[];
  flows: readonly CapitalFlow[];
  /** Fast mode: the stored complete days from the window's first session. */
  completeDates: ReadonlySet<string>;
  target: string;
  mode: RefreshMode;
  /** historyWindowOf(portfolio, positions, target), with at least two sessions. */
  window: HistoryWindow<PositionRow>;
  market: PnlMarketData;
}

/**
 * Phase 4: P&L and snapshots, computed from loaded inputs. The whole history is computed in
 * memory from the anchor (cheap, and the only way a back-dated edit is reflected); `full` writes
 * every day, `fast` only the days after the last complete snapshot plus incomplete ones — missed
 * days are filled either way. Nothing is written here: the caller writes the rows of many
 * portfolios together.
 */
export function computePnlPhase(input: PnlPhaseInput): PnlPhaseOutput | null {
  const { portfolio, positions, flows, completeDates, target, mode } = input;
  const { anchorDate, live, sessions } = input.window;
  const { closes, riskFreeRates, volatilityCloses } = input.market;
  if (sessions.length < 2) return null;
  const source = makePriceSource({
    sessions,
    positions: live,
    closes,
    riskFreeRates,
    ...(volatilityCloses ? { volatilityCloses } : {}),
  });
  const history = computePortfolioHistory({
    sessions,
    positions: live.map(toPnlPosition),
    flows,
    anchor: { date: anchorDate, nav: portfolio.equityBalance },
    priceOf: source.priceOf,
    detailDates: new Set([target]),
  });
  const upToTarget = history.filter((d) => d.date <= target);
  const latest = upToTarget.at(-1);
  if (!latest) return null;

  const book = optionBookOf(live, sessions, closes, source);
  const onTarget = book.greeksOn(target, true);
  // SPEC §5: an option priced with the 4% default says so, in the snapshot and the run log.
  latest.dataIssues.push(...onTarget.issues);

  // Fast: write only the days not already stored complete (missed days included); full: all.
  const toWrite =
    mode === 'fast'
      ? upToTarget.filter((d) => !completeDates.has(d.date) || d.date === target)
      : upToTarget;
  // Every written day gets its own day's Greeks, so a full recompute or a back-cast history
  // holds the same values the nightly run of that day wrote.
  const snapshotRows = toWrite.map((d) => {
    if (!book.hasOptions) return snapshotRowOf(d, target, null, null);
    if (d.date === target) return snapshotRowOf(d, target, onTarget.greeks, null);
    const day = book.greeksOn(d.date, false);
    return snapshotRowOf(d, target, day.greeks, day.issues);
  });
  return {
    pnl: {
      latest,
      sessions,
      snapshotsWritten: snapshotRows.length,
      closes,
      history: upToTarget,
      greeks: onTarget.greeks,
      optionDeltas: book.optionDeltas,
    },
    snapshotRows,
    valuations: valuationsOf(positions, latest, target),
  };
}

type Greeks = PnlPhaseResult['greeks'];

/**
 * The option book's Greeks on a day: per-share Greeks × 100 × quantity of the options open that
 * day, and the options priced at the default rate. On the target day it also records each live
 * option's model inputs in `optionDeltas`.
 */
function optionBookOf(
  live: readonly PositionRow[],
  sessions: readonly string[],
  closes: Map<string, Float64Array>,
  source: ReturnType<typeof makePriceSource>,
) {
  const liveOptions = live.flatMap((p, i) => (p.investmentClass === 'OPTIONS' ? [{ p, i }] : []));
  const optionDeltas = new Map<string, LiveOption>();
  const sessionIndex = new Map(sessions.map((date, s) => [date, s]));
  const greeksOn = (date: string, onTarget: boolean) => {
    const s = sessionIndex.get(date)!;
    const sum: Greeks = { delta: 0, gamma: 0, theta: 0, vega: 0 };
    const defaultRate: PositionRow[] = [];
    for (const { p, i } of liveOptions) {
      if (p.entryDate > date || (p.exitDate && p.exitDate <= date)) continue;
      const model = source.optionModel(i, s);
      if (!model || model.source === 'intrinsic_at_expiry') continue;
      if (model.defaultRate) defaultRate.push(p);
      const size = p.quantity * 100;
      if (onTarget) {
        const terms = optionTermsOf(p)!;
        optionDeltas.set(p.id, {
          delta: model.valuation.delta,
          underlying: terms.underlying,
          underlyingPrice: closes.get(terms.underlying)![s]!,
          kind: terms.kind,
          strike: terms.strike,
          years: model.years,
          rate: model.rate,
          volatility: model.volatility,
          price: source.priceOf(i, s),
        });
      }
      sum.delta += model.valuation.delta * size;
      sum.gamma += model.valuation.gamma * size;
      sum.theta += model.valuation.theta * size;
      sum.vega += model.valuation.vega * size;
    }
    return { greeks: sum, issues: defaultRate.map((p) => defaultRateIssue(p, date)) };
  };
  return { hasOptions: liveOptions.length > 0, optionDeltas, greeksOn };
}

/** A day's snapshot row: its Greeks (null without options) and the day's default-rate issues. */
function snapshotRowOf(
  d: DailySnapshot,
  target: string,
  greeks: Greeks | null,
  issues: DataIssue[] | null,
): SnapshotPnlRow {
  return {
    snapshotDate: d.date,
    netAssetValue: d.netAssetValue,
    cashValue: d.cashValue,
    longValue: d.longValue,
    shortValue: d.shortValue,
    grossExposure: d.grossExposure,
    netExposure: d.netExposure,
    dailyPnl: d.dailyPnl,
    dailyReturn: d.dailyReturn,
    cumulativePnl: d.cumulativePnl,
    dailyRealizedPnl: d.dailyRealizedPnl,
    dailyCapitalFlow: d.dailyCapitalFlow,
    numPositions: d.numPositions,
    numLongPositions: d.numLongPositions,
    numShortPositions: d.numShortPositions,
    numOptionPositions: d.numOptionPositions,
    numPrivatePositions: d.numPrivatePositions,
    portfolioDelta: greeks?.delta ?? null,
    portfolioGamma: greeks?.gamma ?? null,
    portfolioTheta: greeks?.theta ?? null,
    portfolioVega: greeks?.vega ?? null,
    dataIssues: issues ? [...d.dataIssues, ...issues] : d.dataIssues,
    // Analytics phases complete the target day's row; history rows are complete as P&L.
    isComplete: d.isComplete && d.date !== target,
  };
}

/** Positions carry their latest mark: last price, market value and unrealized P&L. */
function valuationsOf(
  positions: readonly PositionRow[],
  latest: DailySnapshot,
  target: string,
): PositionValuation[] {
  const byId = new Map(latest.positions.map((v) => [v.positionId, v]));
  return positions.map((p): PositionValuation => {
    const v = byId.get(p.id);
    const multiplier = p.investmentClass === 'OPTIONS' ? 100 : 1;
    if (!v) return { id: p.id, lastPrice: null, marketValue: null, unrealizedPnl: null };
    const expiry = optionTermsOf(p)?.expiration;
    const open = (p.exitDate === null || p.exitDate > target) && (!expiry || expiry > target);
    return {
      id: p.id,
      lastPrice: v.price,
      marketValue: v.marketValue,
      unrealizedPnl: open ? (v.price - p.entryPrice) * p.quantity * multiplier : 0,
    };
  });
}

function defaultRateIssue(p: PositionRow, date: string): DataIssue {
  return {
    positionId: p.id,
    symbol: p.symbol,
    kind: 'default_risk_free_rate',
    lastPriceDate: null,
    sessionsStale: 0,
    message: `${p.symbol} priced with the ${DEFAULT_RISK_FREE_RATE * 100}% default risk-free rate: no 3-month Treasury bill quote for ${date}`,
  };
}
