import { computePortfolioHistory } from '../../domain/pnl/compute-portfolio-history.ts';
import type { DailySnapshot } from '../../domain/pnl/types.ts';
import type { PortfolioRow, PositionRow } from '../../db/repositories/portfolio-repository.ts';
import { PortfolioRepository } from '../../db/repositories/portfolio-repository.ts';
import {
  SnapshotRepository,
  type SnapshotPnlRow,
} from '../../db/repositories/snapshot-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import {
  historySessions,
  makePriceSource,
  optionTermsOf,
  priceSymbolsOf,
  toPnlPosition,
} from './build-pnl-inputs.ts';

export type RefreshMode = 'fast' | 'full';

export interface LiveOption {
  delta: number;
  underlying: string;
  underlyingPrice: number;
  kind: 'CALL' | 'PUT';
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

/**
 * Phase 4: P&L and snapshots. The whole history is computed in memory from the anchor (cheap,
 * and the only way a back-dated edit is reflected); `full` writes every day, `fast` only the days
 * after the last complete snapshot plus incomplete ones — missed days are filled either way.
 */
export async function runPnlPhase(
  ctx: PipelineContext,
  portfolio: PortfolioRow,
  positions: readonly PositionRow[],
  target: string,
  mode: RefreshMode,
): Promise<PnlPhaseResult | null> {
  const portfolios = new PortfolioRepository(ctx.db);
  const snapshots = new SnapshotRepository(ctx.db);
  const anchorDate = portfolio.anchorDate ?? target;
  if (!portfolio.anchorDate) await portfolios.setAnchorDate(portfolio.id, anchorDate);
  const end = anchorDate > target ? anchorDate : target;
  const live = positions.filter((p) => p.entryDate <= end);
  const sessions = historySessions(live, end);
  if (sessions.length < 2) return null;

  const closes = await ctx.cache.getAlignedCloses(ctx.db, priceSymbolsOf(live), sessions);
  const source = makePriceSource({ sessions, positions: live, closes, riskFreeRate: null });
  const flows = await portfolios.listEquityChanges(portfolio.id);
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

  // Greeks of the option book on the target day: per-share Greeks × 100 × quantity.
  const targetIndex = sessions.indexOf(target);
  const greeks = { delta: 0, gamma: 0, theta: 0, vega: 0 };
  const optionDeltas = new Map<string, LiveOption>();
  live.forEach((p, i) => {
    if (
      p.investmentClass !== 'OPTIONS' ||
      p.entryDate > target ||
      (p.exitDate && p.exitDate <= target)
    )
      return;
    const model = source.optionModel(i, targetIndex);
    if (!model || model.source === 'intrinsic_at_expiry') return;
    const size = p.quantity * 100;
    const terms = optionTermsOf(p)!;
    optionDeltas.set(p.id, {
      delta: model.valuation.delta,
      underlying: terms.underlying,
      underlyingPrice: closes.get(terms.underlying)![targetIndex]!,
      kind: terms.kind,
      strike: terms.strike,
      years: model.years,
      rate: model.rate,
      volatility: model.volatility,
      price: source.priceOf(i, targetIndex),
    });
    greeks.delta += model.valuation.delta * size;
    greeks.gamma += model.valuation.gamma * size;
    greeks.theta += model.valuation.theta * size;
    greeks.vega += model.valuation.vega * size;
  });

  // Fast: write only the days not already stored complete (missed days included); full: all.
  let toWrite = upToTarget;
  if (mode === 'fast') {
    const complete = await snapshots.completeDates(portfolio.id, upToTarget[0]!.date, target);
    toWrite = upToTarget.filter((d) => !complete.has(d.date) || d.date === target);
  }
  const hasOptions = live.some((p) => p.investmentClass === 'OPTIONS');
  const rows: SnapshotPnlRow[] = toWrite.map((d) => ({
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
    portfolioDelta: d.date === target && hasOptions ? greeks.delta : null,
    portfolioGamma: d.date === target && hasOptions ? greeks.gamma : null,
    portfolioTheta: d.date === target && hasOptions ? greeks.theta : null,
    portfolioVega: d.date === target && hasOptions ? greeks.vega : null,
    dataIssues: d.dataIssues,
    // Analytics phases complete the target day's row; history rows are complete as P&L.
    isComplete: d.isComplete && d.date !== target,
  }));
  await snapshots.upsertPnl(portfolio.id, rows);

  // Positions carry their latest mark: last price, market value and unrealized P&L.
  const byId = new Map(latest.positions.map((v) => [v.positionId, v]));
  await portfolios.updateValuations(
    positions.map((p) => {
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
    }),
  );
  return {
    latest,
    sessions,
    snapshotsWritten: rows.length,
    closes,
    history: upToTarget,
    greeks,
    optionDeltas,
  };
}
