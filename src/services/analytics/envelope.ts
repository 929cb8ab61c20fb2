import type { Db } from '../../db/database.ts';
import {
  AnalyticsReadRepository,
  type LivePortfolio,
} from '../../db/repositories/analytics-read-repository.ts';
import type { AggregatePortfolioEntry, PortfolioEnvelope } from './schemas.ts';

/** Nothing has been calculated for the portfolio (or none of the user's portfolios) yet. */
export const NO_CALCULATION = 'no_calculation_available';
/** Calculated, but the figures need more history or holdings than there are. */
export const INSUFFICIENT_DATA = 'insufficient_data';
/** The aggregate of a user without a (live) portfolio. */
export const NO_PORTFOLIOS = 'no_portfolios';

/** `available`, `reason`, `portfolio_id`, `calculation_date`: what every per-portfolio answer carries. */
export function portfolioEnvelope(
  portfolioId: string,
  calculationDate: string | null,
  reason: string | null,
): PortfolioEnvelope {
  return {
    available: reason === null,
    reason,
    portfolio_id: portfolioId,
    calculation_date: calculationDate,
  };
}

/** One portfolio's part in an aggregate: its date and the NAV it is weighted by. */
export interface AggregateMember {
  portfolio: LivePortfolio;
  date: string;
  nav: number;
}

export interface AggregateEnvelope {
  available: boolean;
  reason: string | null;
  calculation_date: string | null;
  portfolio_count: number;
  portfolios: AggregatePortfolioEntry[];
}

/**
 * The aggregate's envelope: which of the user's portfolios went in (those with figures for the
 * analytic), their dates and NAV weights. Unavailable when the user has no portfolio, none has
 * been calculated, or the caller found the combined figures insufficient (`reason`).
 */
export function aggregateEnvelope(
  all: readonly LivePortfolio[],
  members: readonly AggregateMember[],
  reason: string | null = null,
): AggregateEnvelope {
  const totalNav = members.reduce((s, m) => s + m.nav, 0);
  const byId = new Map(members.map((m) => [m.portfolio.id, m]));
  const finalReason =
    all.length === 0 ? NO_PORTFOLIOS : members.length === 0 ? NO_CALCULATION : reason;
  return {
    available: finalReason === null,
    reason: finalReason,
    calculation_date: members.reduce<string | null>(
      (latest, m) => (latest === null || m.date > latest ? m.date : latest),
      null,
    ),
    portfolio_count: members.length,
    portfolios: all.map((p) => {
      const m = byId.get(p.id);
      return {
        portfolio_id: p.id,
        name: p.name,
        calculation_date: m?.date ?? null,
        net_asset_value: m?.nav ?? null,
        weight: m && totalNav > 0 ? m.nav / totalNav : null,
        included: m !== undefined,
      };
    }),
  };
}

/**
 * The user's live portfolios, and as members those that have a snapshot, each at its latest
 * one and weighted by that day's NAV: the membership of the aggregates built from snapshots.
 */
export async function latestSnapshotMembers(
  db: Db,
  userId: string,
): Promise<{ all: LivePortfolio[]; members: AggregateMember[] }> {
  const read = new AnalyticsReadRepository(db);
  const all = await read.livePortfolios(userId);
  const snapshots = await read.latestSnapshots(all.map((p) => p.id));
  const members = all.flatMap((portfolio) => {
    const snap = snapshots.get(portfolio.id);
    return snap ? [{ portfolio, date: snap.snapshotDate, nav: snap.netAssetValue }] : [];
  });
  return { all, members };
}
