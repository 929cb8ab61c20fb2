import { aggregatePortfolios, type PortfolioAnalytics } from '../../domain/aggregate/index.ts';
import { FACTOR_DEFINITIONS } from '../../domain/factors/factor-definitions.ts';
import type { Db } from '../../db/database.ts';
import { AnalyticsReadRepository } from '../../db/repositories/analytics-read-repository.ts';
import { PortfolioFactorRepository } from '../../db/repositories/portfolio-factor-repository.ts';
import {
  aggregateEnvelope,
  NO_CALCULATION,
  portfolioEnvelope,
  type AggregateMember,
} from './envelope.ts';
import type {
  AggregateFactorExposures,
  PortfolioFactorExposures,
  PositionFactorExposures,
} from './schemas.ts';

/** The 13 factor names of SPEC §3.1 in display order: the order of every factor list we answer. */
export const FACTOR_NAMES: readonly string[] = [...FACTOR_DEFINITIONS]
  .sort((a, b) => a.displayOrder - b.displayOrder)
  .map((d) => d.name);

export interface StoredFactorExposures {
  date: string;
  factors: { name: string; beta: number | null; exposure_dollar: number | null }[];
}

/**
 * The portfolio's factor exposures on its latest factor date, one entry per SPEC factor in
 * display order (a factor without a stored row shows nulls rather than disappearing).
 */
export async function storedFactorExposures(
  db: Db,
  portfolioId: string,
): Promise<StoredFactorExposures | null> {
  const repo = new PortfolioFactorRepository(db);
  const date = await repo.latestDate(portfolioId);
  if (!date) return null;
  const byName = new Map((await repo.forPortfolio(portfolioId, date)).map((r) => [r.name, r]));
  return {
    date,
    factors: FACTOR_NAMES.map((name) => {
      const row = byName.get(name);
      return { name, beta: row?.beta ?? null, exposure_dollar: row?.exposureDollar ?? null };
    }),
  };
}

/** GET /analytics/portfolio/{id}/factor-exposures */
export async function portfolioFactorExposures(
  db: Db,
  portfolioId: string,
): Promise<PortfolioFactorExposures> {
  const stored = await storedFactorExposures(db, portfolioId);
  if (!stored) return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), factors: [] };
  return { ...portfolioEnvelope(portfolioId, stored.date, null), factors: stored.factors };
}

/**
 * GET /analytics/portfolio/{id}/positions/factor-exposures: one page of positions (by symbol)
 * with their betas on the portfolio's latest factor date. `symbols` filters case-insensitively.
 */
export async function positionFactorExposures(
  db: Db,
  portfolioId: string,
  page: { limit: number; offset: number; symbols: readonly string[] | null },
): Promise<PositionFactorExposures> {
  const date = await new PortfolioFactorRepository(db).latestDate(portfolioId);
  const empty = { total: 0, limit: page.limit, offset: page.offset, positions: [] };
  if (!date) return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), ...empty };
  const read = new AnalyticsReadRepository(db);
  const symbols = page.symbols?.map((s) => s.toUpperCase()) ?? null;
  const { total, positions } = await read.positionFactorPage(
    portfolioId,
    date,
    symbols,
    page.limit,
    page.offset,
  );
  const rows = await read.positionFactorRows(
    positions.map((p) => p.positionId),
    date,
  );
  const betas = new Map<string, Map<string, number>>();
  for (const r of rows) {
    let m = betas.get(r.positionId);
    if (!m) betas.set(r.positionId, (m = new Map()));
    m.set(r.factorName, r.beta);
  }
  return {
    ...portfolioEnvelope(portfolioId, date, null),
    total,
    limit: page.limit,
    offset: page.offset,
    positions: positions.map((p) => ({
      position_id: p.positionId,
      symbol: p.symbol,
      exposures: Object.fromEntries(
        FACTOR_NAMES.map((name) => [name, betas.get(p.positionId)?.get(name) ?? null]),
      ),
    })),
  };
}

/**
 * GET /analytics/aggregate/factor-exposures: betas NAV-weighted over the user's portfolios (each
 * at its latest factor date, weighted by its NAV on that date), dollar exposures summed. See
 * `aggregatePortfolios` for why a portfolio lacking a factor is left out of that factor.
 */
export async function aggregateFactorExposures(
  db: Db,
  userId: string,
): Promise<AggregateFactorExposures> {
  const read = new AnalyticsReadRepository(db);
  const all = await read.livePortfolios(userId);
  const members: AggregateMember[] = [];
  const inputs: PortfolioAnalytics[] = [];
  for (const portfolio of all) {
    const stored = await storedFactorExposures(db, portfolio.id);
    if (!stored) continue;
    const snapshot = await read.snapshotOn(portfolio.id, stored.date);
    if (!snapshot) continue;
    members.push({ portfolio, date: stored.date, nav: snapshot.netAssetValue });
    inputs.push({
      portfolioId: portfolio.id,
      nav: snapshot.netAssetValue,
      betas: new Map(
        stored.factors.flatMap((f) => (f.beta === null ? [] : [[f.name, f.beta] as const])),
      ),
      exposures: { longValue: 0, shortValue: 0, grossExposure: 0, netExposure: 0 },
      stress: [],
      positions: [],
    });
  }
  const envelope = aggregateEnvelope(all, members);
  if (!envelope.available) return { ...envelope, factors: [] };
  const result = aggregatePortfolios(inputs, FACTOR_NAMES);
  return {
    ...envelope,
    factors: result.factors.map((f) => ({
      name: f.name,
      aggregate_beta: f.aggregateBeta,
      aggregate_exposure_dollar: f.aggregateExposureDollar,
      portfolio_count: f.portfolios,
    })),
  };
}
