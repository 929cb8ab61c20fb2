import type { Db } from '../../db/database.ts';
import {
  AnalyticsReadRepository,
  type SnapshotSummary,
} from '../../db/repositories/analytics-read-repository.ts';
import { type PortfolioRow } from '../../db/repositories/portfolio-repository.ts';
import { PositionRepository, type PositionRow } from '../../db/repositories/position-repository.ts';
import {
  aggregateEnvelope,
  NO_CALCULATION,
  portfolioEnvelope,
  type AggregateMember,
} from './envelope.ts';
import type { AggregateOverview, OverviewBody, PortfolioOverview } from './schemas.ts';
import { cents } from '../../domain/money.ts';
import { percentOfNav } from '../../domain/stress/percent-of-nav.ts';

type PositionCount = OverviewBody['position_count'];

/** One portfolio's overview as plain sums, so the aggregate can add them before dividing. */
interface OverviewFigures {
  date: string;
  updatedAt: string;
  equityBalance: number;
  nav: number;
  cash: number;
  long: number;
  short: number;
  gross: number;
  net: number;
  dailyPnl: number;
  totalPnl: number;
  unrealized: number;
  realized: number;
  ytd: number;
  mtd: number;
  counts: PositionCount;
}

const percentOf = percentOfNav;

/**
 * The overview body. Conventions (API.md is silent on them):
 * - `total_value` is the signed market value of the holdings (long + short), so
 *   net_asset_value = total_value + cash_balance; cash is negative on margin.
 * - `short_exposure` is negative, as stored; percentages are of NAV in percentage points;
 *   `leverage` is gross exposure / NAV (null when NAV ≤ 0).
 * - `total_pnl` is the P&L since the start of the history (cumulative_pnl); `realized_pnl` sums
 *   the realized P&L of exits up to the date; `ytd_pnl`/`mtd_pnl` sum daily P&L since 1 January /
 *   the 1st of the month of `as_of`.
 */
function overviewBody(f: OverviewFigures): OverviewBody {
  return {
    equity_balance: cents(f.equityBalance),
    net_asset_value: cents(f.nav),
    total_value: cents(f.long + f.short),
    cash_balance: cents(f.cash),
    leverage: f.nav > 0 ? f.gross / f.nav : null,
    exposures: {
      long_exposure: cents(f.long),
      short_exposure: cents(f.short),
      gross_exposure: cents(f.gross),
      net_exposure: cents(f.net),
      long_percentage: percentOf(f.long, f.nav),
      short_percentage: percentOf(f.short, f.nav),
      gross_percentage: percentOf(f.gross, f.nav),
      net_percentage: percentOf(f.net, f.nav),
    },
    pnl: {
      total_pnl: cents(f.totalPnl),
      unrealized_pnl: cents(f.unrealized),
      realized_pnl: cents(f.realized),
      ytd_pnl: cents(f.ytd),
      mtd_pnl: cents(f.mtd),
      daily_pnl: cents(f.dailyPnl),
    },
    position_count: f.counts,
    as_of: f.date,
    last_updated: f.updatedAt,
  };
}

/** Counts from the position rows, for a portfolio that has no snapshot yet. */
function countPositions(positions: readonly PositionRow[]): PositionCount {
  const open = positions.filter((p) => p.exitDate === null);
  const count = (keep: (p: PositionRow) => boolean) => open.filter(keep).length;
  return {
    total_positions: open.length,
    long_count: count((p) => p.investmentClass === 'PUBLIC' && p.quantity > 0),
    short_count: count((p) => p.investmentClass === 'PUBLIC' && p.quantity < 0),
    option_count: count((p) => p.investmentClass === 'OPTIONS'),
    private_count: count((p) => p.investmentClass === 'PRIVATE'),
  };
}

function emptyBody(equityBalance: number | null, counts: PositionCount): OverviewBody {
  return {
    equity_balance: equityBalance,
    net_asset_value: null,
    total_value: null,
    cash_balance: null,
    leverage: null,
    exposures: {
      long_exposure: null,
      short_exposure: null,
      gross_exposure: null,
      net_exposure: null,
      long_percentage: null,
      short_percentage: null,
      gross_percentage: null,
      net_percentage: null,
    },
    pnl: {
      total_pnl: null,
      unrealized_pnl: null,
      realized_pnl: null,
      ytd_pnl: null,
      mtd_pnl: null,
      daily_pnl: null,
    },
    position_count: counts,
    as_of: null,
    last_updated: null,
  };
}

async function figuresOf(
  db: Db,
  equityBalance: number,
  s: SnapshotSummary,
  positions: readonly PositionRow[],
): Promise<OverviewFigures> {
  const asOf = s.snapshotDate;
  const sums = await new AnalyticsReadRepository(db).pnlSums(
    s.portfolioId,
    asOf,
    `${asOf.slice(0, 4)}-01-01`,
    `${asOf.slice(0, 7)}-01`,
  );
  // Open on the date: exited positions' gains are realized, not unrealized.
  const unrealized = positions
    .filter((p) => p.entryDate <= asOf && (p.exitDate === null || p.exitDate > asOf))
    .reduce((sum, p) => sum + (p.unrealizedPnl ?? 0), 0);
  return {
    date: asOf,
    updatedAt: s.updatedAt,
    equityBalance,
    nav: s.netAssetValue,
    cash: s.cashValue,
    long: s.longValue,
    short: s.shortValue,
    gross: s.grossExposure,
    net: s.netExposure,
    dailyPnl: s.dailyPnl,
    totalPnl: s.cumulativePnl,
    unrealized,
    ...sums,
    counts: {
      total_positions: s.numPositions,
      long_count: s.numLongPositions,
      short_count: s.numShortPositions,
      option_count: s.numOptionPositions,
      private_count: s.numPrivatePositions,
    },
  };
}

/** GET /analytics/portfolio/{id}/overview: the latest snapshot with P&L sums and counts. */
export async function portfolioOverview(
  db: Db,
  portfolio: PortfolioRow,
): Promise<PortfolioOverview> {
  const positions = await new PositionRepository(db).listPositions(portfolio.id);
  const snapshot = (await new AnalyticsReadRepository(db).latestSnapshots([portfolio.id])).get(
    portfolio.id,
  );
  if (!snapshot) {
    return {
      ...portfolioEnvelope(portfolio.id, null, NO_CALCULATION),
      ...emptyBody(portfolio.equityBalance, countPositions(positions)),
    };
  }
  return {
    ...portfolioEnvelope(portfolio.id, snapshot.snapshotDate, null),
    ...overviewBody(await figuresOf(db, portfolio.equityBalance, snapshot, positions)),
  };
}

/**
 * GET /analytics/aggregate/overview: every dollar figure and count summed over the user's
 * calculated portfolios (each at its latest snapshot), percentages and leverage recomputed on
 * the summed NAV — i.e. NAV-weighted. `as_of` is the most recent of their dates.
 */
export async function aggregateOverview(db: Db, userId: string): Promise<AggregateOverview> {
  const read = new AnalyticsReadRepository(db);
  const all = await read.livePortfolios(userId);
  const snapshots = await read.latestSnapshots(all.map((p) => p.id));
  const positionsOf = await new PositionRepository(db).listPositionsOf(all.map((p) => p.id));
  const members: AggregateMember[] = [];
  const figures: OverviewFigures[] = [];
  for (const portfolio of all) {
    const snapshot = snapshots.get(portfolio.id);
    if (!snapshot) continue;
    members.push({ portfolio, date: snapshot.snapshotDate, nav: snapshot.netAssetValue });
    figures.push(
      await figuresOf(db, portfolio.equityBalance, snapshot, positionsOf.get(portfolio.id)!),
    );
  }
  const envelope = aggregateEnvelope(all, members);
  if (figures.length === 0) {
    return {
      ...envelope,
      ...emptyBody(
        all.length > 0 ? all.reduce((s, p) => s + p.equityBalance, 0) : null,
        all.map((p) => countPositions(positionsOf.get(p.id)!)).reduce(addCounts, NO_POSITIONS),
      ),
    };
  }
  return { ...envelope, ...overviewBody(figures.reduce(addFigures)) };
}

const NO_POSITIONS: PositionCount = {
  total_positions: 0,
  long_count: 0,
  short_count: 0,
  option_count: 0,
  private_count: 0,
};

function addCounts(a: PositionCount, b: PositionCount): PositionCount {
  return {
    total_positions: a.total_positions + b.total_positions,
    long_count: a.long_count + b.long_count,
    short_count: a.short_count + b.short_count,
    option_count: a.option_count + b.option_count,
    private_count: a.private_count + b.private_count,
  };
}

/** Two portfolios' figures as one book: every amount and count added, the later date kept. */
function addFigures(a: OverviewFigures, b: OverviewFigures): OverviewFigures {
  return {
    date: a.date > b.date ? a.date : b.date,
    updatedAt: a.updatedAt > b.updatedAt ? a.updatedAt : b.updatedAt,
    equityBalance: a.equityBalance + b.equityBalance,
    nav: a.nav + b.nav,
    cash: a.cash + b.cash,
    long: a.long + b.long,
    short: a.short + b.short,
    gross: a.gross + b.gross,
    net: a.net + b.net,
    dailyPnl: a.dailyPnl + b.dailyPnl,
    totalPnl: a.totalPnl + b.totalPnl,
    unrealized: a.unrealized + b.unrealized,
    realized: a.realized + b.realized,
    ytd: a.ytd + b.ytd,
    mtd: a.mtd + b.mtd,
    counts: addCounts(a.counts, b.counts),
  };
}
