import { aggregatePortfolios, type PortfolioAnalytics } from '../../domain/aggregate/index.ts';
import { STRESS_SCENARIOS } from '../../domain/stress/scenarios.ts';
import type { Db } from '../../db/database.ts';
import { AnalyticsReadRepository } from '../../db/repositories/analytics-read-repository.ts';
import {
  StressRepository,
  type ScenarioRow,
  type StressResultRow,
} from '../../db/repositories/stress-repository.ts';
import {
  aggregateEnvelope,
  NO_CALCULATION,
  portfolioEnvelope,
  type AggregateMember,
} from './envelope.ts';
import type {
  AggregateStress,
  PortfolioStress,
  StressFactorImpact,
  StressPositionImpact,
  StressScenarioResult,
} from './schemas.ts';
import { percentOfNav } from '../../domain/stress/percent-of-nav.ts';

/** Scenario ids of SPEC §6, in the order the answers list them. */
export const STRESS_SCENARIO_IDS: readonly string[] = STRESS_SCENARIOS.map((s) => s.id);
const scenarioOrder = new Map(STRESS_SCENARIO_IDS.map((id, i) => [id, i]));

type StoredResult = StressResultRow & ScenarioRow;
type ExcludedPosition = PortfolioStress['data']['excluded_positions'][number];

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const text = (x: unknown): string => (typeof x === 'string' ? x : String(x ?? ''));
const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** The stored per-factor attribution (an array of the domain's StressFactorImpact). */
function factorImpactsOf(stored: unknown): StressFactorImpact[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(isRecord).map((f) => ({
    factor: text(f.factor),
    etf: typeof f.etf === 'string' ? f.etf : null,
    shocked: f.shocked === true,
    move_direct: num(f.move_direct),
    move_correlated: num(f.move_correlated),
    pnl_direct: num(f.pnl_direct) ?? 0,
    pnl_correlated: num(f.pnl_correlated) ?? 0,
  }));
}

/**
 * Position impacts as objects. Phase 6 stores them column-wise (`{columns, rows}`) to keep the
 * nightly write small; an array of objects (the domain's own shape) is read as well.
 */
function positionImpactsOf(stored: unknown): StressPositionImpact[] {
  let records: Record<string, unknown>[] = [];
  if (Array.isArray(stored)) {
    records = stored.filter(isRecord);
  } else if (isRecord(stored) && Array.isArray(stored.columns) && Array.isArray(stored.rows)) {
    const columns = stored.columns.map(text);
    records = stored.rows
      .filter((r): r is unknown[] => Array.isArray(r))
      .map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
  }
  return records.map((r) => ({
    position_id: text(r.position_id ?? r.positionId),
    symbol: text(r.symbol),
    pnl_direct: num(r.pnl_direct) ?? 0,
    pnl_correlated: num(r.pnl_correlated) ?? 0,
    return_direct: num(r.return_direct),
    return_correlated: num(r.return_correlated),
  }));
}

function excludedOf(stored: unknown): ExcludedPosition[] {
  if (!isRecord(stored) || !Array.isArray(stored.excluded)) return [];
  return stored.excluded.filter(isRecord).map((e) => ({
    position_id: text(e.positionId ?? e.position_id),
    symbol: text(e.symbol),
    reason: text(e.reason),
  }));
}

function bySpecOrder<T>(rows: T[], idOf: (row: T) => string): T[] {
  const at = (row: T) => scenarioOrder.get(idOf(row)) ?? Number.MAX_SAFE_INTEGER;
  return [...rows].sort((a, b) => at(a) - at(b) || (idOf(a) < idOf(b) ? -1 : 1));
}

function scenarioResult(
  r: StoredResult,
  nav: number,
  factorImpacts: StressFactorImpact[],
  positionImpacts: StressPositionImpact[],
): StressScenarioResult {
  return {
    id: r.scenarioId,
    name: r.name,
    description: r.description ?? null,
    category: r.category,
    severity: r.severity,
    // `impact` is the correlated result: the shocked factors move the others with them.
    impact: {
      dollar_impact: r.correlatedPnl,
      percentage_impact: percentOfNav(r.correlatedPnl, nav),
      new_portfolio_value: nav + r.correlatedPnl,
    },
    direct_pnl: r.directPnl,
    correlated_pnl: r.correlatedPnl,
    correlation_effect: r.correlationEffect,
    factor_impacts: factorImpacts,
    position_impacts: positionImpacts,
  };
}

async function latestResults(
  db: Db,
  portfolioId: string,
): Promise<{ date: string; rows: StoredResult[] } | null> {
  const date = await new AnalyticsReadRepository(db).latestStressDate(portfolioId);
  if (!date) return null;
  const rows = await new StressRepository(db).results(portfolioId, date);
  return rows.length > 0 ? { date, rows } : null;
}

const emptyData = (): PortfolioStress['data'] => ({
  portfolio_value: null,
  calculation_date: null,
  scenarios: [],
  excluded_positions: [],
});

/**
 * GET /analytics/portfolio/{id}/stress-test: the stored results of the latest stress date, in
 * SPEC order, optionally only the `scenarioIds` asked for (already checked to exist).
 */
export async function portfolioStressTest(
  db: Db,
  portfolioId: string,
  scenarioIds: readonly string[] | null,
): Promise<PortfolioStress> {
  const latest = await latestResults(db, portfolioId);
  if (!latest) {
    return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), data: emptyData() };
  }
  const wanted = scenarioIds ? new Set(scenarioIds) : null;
  const rows = bySpecOrder(
    latest.rows.filter((r) => !wanted || wanted.has(r.scenarioId)),
    (r) => r.scenarioId,
  );
  const nav = latest.rows[0]!.portfolioValue;
  return {
    ...portfolioEnvelope(portfolioId, latest.date, null),
    data: {
      portfolio_value: nav,
      calculation_date: latest.date,
      scenarios: rows.map((r) =>
        scenarioResult(
          r,
          r.portfolioValue,
          factorImpactsOf(r.factorImpacts),
          positionImpactsOf(r.positionImpacts),
        ),
      ),
      excluded_positions: excludedOf(latest.rows[0]!.positionImpacts),
    },
  };
}

/** Per-factor P&L summed over portfolios; a move is shown only when every portfolio had the same. */
function sumFactorImpacts(lists: readonly StressFactorImpact[][]): StressFactorImpact[] {
  const byFactor = new Map<string, StressFactorImpact>();
  for (const list of lists) {
    for (const f of list) {
      const acc = byFactor.get(f.factor);
      if (!acc) {
        byFactor.set(f.factor, { ...f });
        continue;
      }
      acc.pnl_direct += f.pnl_direct;
      acc.pnl_correlated += f.pnl_correlated;
      acc.shocked ||= f.shocked;
      if (acc.move_direct !== f.move_direct) acc.move_direct = null;
      if (acc.move_correlated !== f.move_correlated) acc.move_correlated = null;
    }
  }
  return [...byFactor.values()];
}

/**
 * GET /analytics/aggregate/stress-test: each scenario's P&L summed over the user's portfolios
 * (each at its latest stress date), the percentage taken of the NAV of the portfolios that have
 * the scenario; factor impacts summed, position impacts listed with their portfolio.
 */
export async function aggregateStressTest(
  db: Db,
  userId: string,
  scenarioIds: readonly string[] | null,
): Promise<AggregateStress> {
  const all = await new AnalyticsReadRepository(db).livePortfolios(userId);
  const wanted = scenarioIds ? new Set(scenarioIds) : null;
  const members: AggregateMember[] = [];
  const inputs: PortfolioAnalytics[] = [];
  const perScenario = new Map<string, { rows: StoredResult[]; portfolioIds: string[] }>();
  const excluded: ExcludedPosition[] = [];
  for (const portfolio of all) {
    const latest = await latestResults(db, portfolio.id);
    if (!latest) continue;
    const nav = latest.rows[0]!.portfolioValue;
    members.push({ portfolio, date: latest.date, nav });
    excluded.push(...excludedOf(latest.rows[0]!.positionImpacts));
    const rows = latest.rows.filter((r) => !wanted || wanted.has(r.scenarioId));
    inputs.push({
      portfolioId: portfolio.id,
      nav,
      betas: new Map(),
      exposures: { longValue: 0, shortValue: 0, grossExposure: 0, netExposure: 0 },
      stress: rows,
      positions: [],
    });
    for (const r of rows) {
      const entry = perScenario.get(r.scenarioId) ?? { rows: [], portfolioIds: [] };
      entry.rows.push(r);
      entry.portfolioIds.push(portfolio.id);
      perScenario.set(r.scenarioId, entry);
    }
  }
  const envelope = aggregateEnvelope(all, members);
  if (!envelope.available) return { ...envelope, data: emptyData() };

  const navOf = new Map(members.map((m) => [m.portfolio.id, m.nav]));
  const totalNav = members.reduce((s, m) => s + m.nav, 0);
  const combined = aggregatePortfolios(inputs).stress;
  const scenarios = bySpecOrder(combined, (s) => s.scenarioId).map((s) => {
    const entry = perScenario.get(s.scenarioId)!;
    const nav = entry.portfolioIds.reduce((sum, id) => sum + navOf.get(id)!, 0);
    const first = entry.rows[0]!;
    return scenarioResult(
      { ...first, ...s, portfolioValue: nav },
      nav,
      sumFactorImpacts(entry.rows.map((r) => factorImpactsOf(r.factorImpacts))),
      entry.rows.flatMap((r, i) =>
        positionImpactsOf(r.positionImpacts).map((p) => ({
          ...p,
          portfolio_id: entry.portfolioIds[i]!,
        })),
      ),
    );
  });
  return {
    ...envelope,
    data: {
      portfolio_value: totalNav,
      calculation_date: envelope.calculation_date,
      scenarios,
      excluded_positions: excluded,
    },
  };
}
