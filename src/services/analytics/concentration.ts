import { aggregatePortfolios, type PortfolioAnalytics } from '../../domain/aggregate/index.ts';
import {
  computeConcentration,
  type Concentration,
  type ValuedPosition,
} from '../../domain/concentration/index.ts';
import type { Db } from '../../db/database.ts';
import { AnalyticsReadRepository } from '../../db/repositories/analytics-read-repository.ts';
import { PositionRepository, type PositionRow } from '../../db/repositories/position-repository.ts';
import {
  aggregateEnvelope,
  INSUFFICIENT_DATA,
  NO_CALCULATION,
  portfolioEnvelope,
  latestSnapshotMembers,
} from './envelope.ts';
import type {
  AggregateConcentration,
  ConcentrationData,
  PortfolioConcentration,
} from './schemas.ts';

const EMPTY: ConcentrationData = {
  hhi: null,
  effective_num_positions: null,
  top_3_concentration: null,
  top_10_concentration: null,
  top_positions: [],
};

/** Holdings as the analytics phase valued them: every position with a non-zero latest value. */
export function heldPositions(positions: readonly PositionRow[]): ValuedPosition[] {
  return positions
    .filter((p) => p.marketValue !== null && p.marketValue !== 0)
    .map((p) => ({ symbol: p.symbol, marketValue: p.marketValue! }));
}

function toData(c: Concentration): ConcentrationData {
  return {
    hhi: c.hhi,
    effective_num_positions: c.effectiveNumPositions,
    top_3_concentration: c.top3Concentration,
    top_10_concentration: c.top10Concentration,
    top_positions: c.topPositions.map((t) => ({
      symbol: t.symbol,
      weight: t.weight,
      market_value: t.marketValue,
    })),
  };
}

/** The top positions the analytics phase stored beside the sector figures, if it did. */
function storedTopPositions(stored: unknown): ConcentrationData['top_positions'] | null {
  const list = (stored as { top_positions?: unknown } | null)?.top_positions;
  if (!Array.isArray(list)) return null;
  return list.map((t: { symbol?: unknown; weight?: unknown; marketValue?: unknown }) => ({
    symbol: String(t.symbol),
    weight: typeof t.weight === 'number' ? t.weight : 0,
    market_value: typeof t.marketValue === 'number' ? t.marketValue : null,
  }));
}

/**
 * GET /analytics/portfolio/{id}/concentration: HHI, effective N and top-3/10 shares by gross
 * exposure as the latest analytics run stored them; the top positions from that run too, or
 * recomputed from the positions' latest values when the run did not keep them.
 */
export async function portfolioConcentration(
  db: Db,
  portfolioId: string,
): Promise<PortfolioConcentration> {
  const snap = await new AnalyticsReadRepository(db).latestAnalyticsSnapshot(portfolioId);
  if (!snap) return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), data: EMPTY };
  const top =
    storedTopPositions(snap.sectorExposure) ??
    toData(
      computeConcentration(
        heldPositions(await new PositionRepository(db).listPositions(portfolioId)),
      ),
    ).top_positions;
  const data: ConcentrationData = {
    hhi: snap.hhi,
    effective_num_positions: snap.effectiveNumPositions,
    top_3_concentration: snap.top3Concentration,
    top_10_concentration: snap.top10Concentration,
    top_positions: top,
  };
  const reason = data.hhi === null ? INSUFFICIENT_DATA : null;
  return { ...portfolioEnvelope(portfolioId, snap.snapshotDate, reason), data };
}

/**
 * GET /analytics/aggregate/concentration: the user's holdings netted per symbol across
 * portfolios (one AAPL in three accounts is one bet), each at its latest valuation.
 */
export async function aggregateConcentration(
  db: Db,
  userId: string,
): Promise<AggregateConcentration> {
  const { all, members } = await latestSnapshotMembers(db, userId);
  const envelope = aggregateEnvelope(all, members);
  if (!envelope.available) return { ...envelope, data: EMPTY };
  const positionsOf = await new PositionRepository(db).listPositionsOf(
    members.map((m) => m.portfolio.id),
  );
  const inputs: PortfolioAnalytics[] = members.map((m) => ({
    portfolioId: m.portfolio.id,
    nav: m.nav,
    betas: new Map(),
    exposures: { longValue: 0, shortValue: 0, grossExposure: 0, netExposure: 0 },
    stress: [],
    positions: heldPositions(positionsOf.get(m.portfolio.id) ?? []),
  }));
  const data = toData(aggregatePortfolios(inputs).concentration);
  const reason = data.hhi === null ? INSUFFICIENT_DATA : null;
  return { ...envelope, available: reason === null, reason, data };
}
