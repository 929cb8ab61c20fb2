import { aggregatePortfolios, type PortfolioAnalytics } from '../../domain/aggregate/index.ts';
import { cents } from '../../domain/money.ts';
import { percentOfNav } from '../../domain/stress/percent-of-nav.ts';
import { runScenarios } from '../../domain/stress/run-stress-test.ts';
import { STRESS_SCENARIOS, type ResolvedScenario } from '../../domain/stress/scenarios.ts';
import {
  factorSeriesLabel,
  STRESS_FACTOR_ETFS,
  STRESS_FACTORS,
  type StressFactor,
} from '../../domain/stress/stress-factors.ts';
import type { Db } from '../../db/database.ts';
import { AnalyticsReadRepository } from '../../db/repositories/analytics-read-repository.ts';
import {
  StressRepository,
  toStressResultRow,
  type ScenarioRow,
  type StoredStressModel,
  type StressResultRow,
} from '../../db/repositories/stress-repository.ts';
import { resolvedCustomScenarios } from '../stress/custom-scenarios.ts';
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
  StressModel,
  StressPositionImpact,
  StressScenarioResult,
} from './schemas.ts';

/** Scenario ids of SPEC §6, in the order the answers list them; custom ones follow. */
export const STRESS_SCENARIO_IDS: readonly string[] = STRESS_SCENARIOS.map((s) => s.id);
const scenarioOrder = new Map(STRESS_SCENARIO_IDS.map((id, i) => [id, i]));

/** A result with what the answer says about its scenario. */
type ScenarioRecord = StressResultRow & ScenarioRow & { custom: boolean };
type ExcludedPosition = PortfolioStress['data']['excluded_positions'][number];
type UnavailableScenario = PortfolioStress['data']['unavailable_scenarios'][number];

export interface StressRequest {
  /** Only these scenario ids (built-in or the user's own); null for all. */
  scenarioIds: readonly string[] | null;
  includeModel: boolean;
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const text = (x: unknown): string => (typeof x === 'string' ? x : String(x ?? ''));
const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/** The stored per-factor attribution (an array of the domain's StressFactorImpact). */
function factorImpactsOf(stored: unknown): StressFactorImpact[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(isRecord).map((f) => {
    const factor = text(f.factor);
    const known = (STRESS_FACTORS as readonly string[]).includes(factor);
    return {
      factor,
      etf: typeof f.etf === 'string' ? f.etf : null,
      series:
        typeof f.series === 'string'
          ? f.series
          : known
            ? factorSeriesLabel(factor as StressFactor)
            : null,
      shocked: f.shocked === true,
      move_direct: num(f.move_direct),
      move_correlated: num(f.move_correlated),
      yield_change_direct: num(f.yield_change_direct),
      yield_change_correlated: num(f.yield_change_correlated),
      pnl_direct: num(f.pnl_direct) ?? 0,
      pnl_correlated: num(f.pnl_correlated) ?? 0,
    };
  });
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

function excludedOf(model: StoredStressModel | null, stored: unknown): ExcludedPosition[] {
  const list = model
    ? model.excluded
    : isRecord(stored) && Array.isArray(stored.excluded)
      ? stored.excluded.filter(isRecord)
      : [];
  return list.map((e) => {
    const record = e as unknown as Record<string, unknown>;
    return {
      position_id: text(record.positionId ?? record.position_id),
      symbol: text(record.symbol),
      reason: text(record.reason),
    };
  });
}

function unavailableOf(model: StoredStressModel | null): UnavailableScenario[] {
  return (model?.unavailableScenarios ?? []).map((id) => ({
    id,
    name: STRESS_SCENARIOS.find((s) => s.id === id)?.name ?? id,
    reason: 'no_history_for_window',
  }));
}

/** Built-in scenarios in SPEC order, then the user's own in the order they were created. */
function inAnswerOrder<T>(rows: T[], idOf: (row: T) => string, customOrder: Map<string, number>) {
  const at = (row: T) =>
    scenarioOrder.get(idOf(row)) ??
    STRESS_SCENARIO_IDS.length + (customOrder.get(idOf(row)) ?? Number.MAX_SAFE_INTEGER);
  return [...rows].sort((a, b) => at(a) - at(b) || (idOf(a) < idOf(b) ? -1 : 1));
}

function scenarioResult(
  r: ScenarioRecord,
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
    custom: r.custom,
    window: r.windowStart && r.windowEnd ? { start: r.windowStart, end: r.windowEnd } : null,
    shocked_factors: factorImpacts.filter((f) => f.shocked).map((f) => f.factor),
    // `impact` is the correlated result: the shocked factors move the others with them.
    impact: {
      dollar_impact: r.correlatedPnl,
      percentage_impact: percentOfNav(r.correlatedPnl, nav),
      new_portfolio_value: cents(nav + r.correlatedPnl),
    },
    direct_pnl: r.directPnl,
    correlated_pnl: r.correlatedPnl,
    correlation_effect: r.correlationEffect,
    factor_impacts: factorImpacts,
    position_impacts: positionImpacts,
  };
}

/** The user's own scenarios evaluated with a portfolio's stored model. */
function customRecords(
  model: StoredStressModel,
  scenarios: readonly ResolvedScenario[],
): ScenarioRecord[] {
  if (scenarios.length === 0) return [];
  return runScenarios(model, scenarios, model.nav).map((result, i) => {
    const s = scenarios[i]!;
    return {
      ...toStressResultRow(result),
      name: s.name,
      description: s.description,
      category: s.category,
      severity: s.severity,
      shocks: Object.fromEntries(s.moves.map((m) => [m.factor, m.value])),
      windowStart: s.window?.start ?? null,
      windowEnd: s.window?.end ?? null,
      custom: true,
    };
  });
}

/** The model in the answer's terms (`include=model`): enough to recompute every number. */
function modelBody(model: StoredStressModel): StressModel {
  return {
    as_of: model.asOf,
    price_date: model.priceDate,
    window: model.window,
    observations: model.observations,
    ridge_alpha: model.ridgeAlpha,
    tlt_duration: model.tltDuration,
    factors: model.factors.map((name) => ({
      name,
      series: factorSeriesLabel(name),
      etf: STRESS_FACTOR_ETFS[name],
    })),
    covariance: model.covariance,
    positions: model.positions.map((p) => ({
      position_id: p.positionId,
      symbol: p.symbol,
      beta_symbol: p.betaSymbol,
      kind: p.kind,
      market_value: p.marketValue,
      exposure: p.exposure,
      betas: Object.fromEntries(model.factors.map((f, i) => [f, p.betas[i] ?? 0])),
      option: p.option
        ? {
            option_type: p.option.kind,
            strike: p.option.strike,
            years_to_expiry: p.option.years,
            rate: p.option.rate,
            volatility: p.option.volatility,
            underlying_price: p.option.spot,
            model_value: p.option.baseValue,
            units: p.option.units,
          }
        : null,
    })),
  };
}

interface PortfolioStressState {
  date: string;
  nav: number;
  /** Null when the results predate stored models (recalculate to get one). */
  model: StoredStressModel | null;
  records: ScenarioRecord[];
  excluded: ExcludedPosition[];
}

async function portfolioState(
  db: Db,
  portfolioId: string,
  custom: readonly ResolvedScenario[],
): Promise<PortfolioStressState | null> {
  const date = await new AnalyticsReadRepository(db).latestStressDate(portfolioId);
  if (!date) return null;
  const repository = new StressRepository(db);
  const [rows, stored] = await Promise.all([
    repository.results(portfolioId, date),
    repository.model(portfolioId),
  ]);
  if (rows.length === 0) return null;
  // The model answers only for the date it was computed for.
  const model = stored?.calculationDate === date ? stored.model : null;
  const records: ScenarioRecord[] = rows.map((r) => ({ ...r, custom: false }));
  if (model) records.push(...customRecords(model, custom));
  return {
    date,
    nav: rows[0]!.portfolioValue,
    model,
    records,
    excluded: excludedOf(model, rows[0]!.positionImpacts),
  };
}

const emptyData = (): PortfolioStress['data'] => ({
  portfolio_value: null,
  calculation_date: null,
  scenarios: [],
  excluded_positions: [],
  unavailable_scenarios: [],
});

/**
 * GET /analytics/portfolio/{id}/stress-test: the stored built-in results of the latest stress
 * date in SPEC order, then the user's own scenarios evaluated with that date's model;
 * optionally only the ids asked for, and the model itself.
 */
export async function portfolioStressTest(
  db: Db,
  userId: string,
  portfolioId: string,
  request: StressRequest,
): Promise<PortfolioStress> {
  const custom = await resolvedCustomScenarios(db, userId);
  const state = await portfolioState(db, portfolioId, custom);
  if (!state) {
    return { ...portfolioEnvelope(portfolioId, null, NO_CALCULATION), data: emptyData() };
  }
  const wanted = request.scenarioIds ? new Set(request.scenarioIds) : null;
  const customOrder = new Map(custom.map((s, i) => [s.id, i]));
  const records = inAnswerOrder(
    state.records.filter((r) => !wanted || wanted.has(r.scenarioId)),
    (r) => r.scenarioId,
    customOrder,
  );
  return {
    ...portfolioEnvelope(portfolioId, state.date, null),
    data: {
      portfolio_value: state.nav,
      calculation_date: state.date,
      scenarios: records.map((r) =>
        scenarioResult(
          r,
          r.portfolioValue,
          factorImpactsOf(r.factorImpacts),
          positionImpactsOf(r.positionImpacts),
        ),
      ),
      excluded_positions: state.excluded,
      unavailable_scenarios: unavailableOf(state.model),
      ...(request.includeModel ? { model: state.model ? modelBody(state.model) : null } : {}),
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
      if (acc.yield_change_direct !== f.yield_change_direct) acc.yield_change_direct = null;
      if (acc.yield_change_correlated !== f.yield_change_correlated) {
        acc.yield_change_correlated = null;
      }
    }
  }
  return [...byFactor.values()].map((f) => ({
    ...f,
    pnl_direct: cents(f.pnl_direct),
    pnl_correlated: cents(f.pnl_correlated),
  }));
}

/**
 * GET /analytics/aggregate/stress-test: each scenario's P&L summed over the user's portfolios
 * (each at its latest stress date, the user's own scenarios with each portfolio's model), the
 * percentage taken of the NAV of the portfolios that have the scenario; factor impacts summed,
 * position impacts listed with their portfolio.
 */
export async function aggregateStressTest(
  db: Db,
  userId: string,
  scenarioIds: readonly string[] | null,
): Promise<AggregateStress> {
  const all = await new AnalyticsReadRepository(db).livePortfolios(userId);
  const custom = await resolvedCustomScenarios(db, userId);
  const customOrder = new Map(custom.map((s, i) => [s.id, i]));
  const wanted = scenarioIds ? new Set(scenarioIds) : null;
  const members: AggregateMember[] = [];
  const inputs: PortfolioAnalytics[] = [];
  const perScenario = new Map<string, { rows: ScenarioRecord[]; portfolioIds: string[] }>();
  const excluded: ExcludedPosition[] = [];
  const unavailable = new Map<string, UnavailableScenario>();
  for (const portfolio of all) {
    const state = await portfolioState(db, portfolio.id, custom);
    if (!state) continue;
    members.push({ portfolio, date: state.date, nav: state.nav });
    excluded.push(...state.excluded);
    for (const u of unavailableOf(state.model)) unavailable.set(u.id, u);
    const rows = state.records.filter((r) => !wanted || wanted.has(r.scenarioId));
    inputs.push({
      portfolioId: portfolio.id,
      nav: state.nav,
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
  const scenarios = inAnswerOrder(combined, (s) => s.scenarioId, customOrder).map((s) => {
    const entry = perScenario.get(s.scenarioId)!;
    const nav = entry.portfolioIds.reduce((sum, id) => sum + navOf.get(id)!, 0);
    const first = entry.rows[0]!;
    return scenarioResult(
      {
        ...first,
        ...s,
        directPnl: cents(s.directPnl),
        correlatedPnl: cents(s.correlatedPnl),
        correlationEffect: cents(s.correlationEffect),
        portfolioValue: nav,
      },
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
      portfolio_value: cents(totalNav),
      calculation_date: envelope.calculation_date,
      scenarios,
      excluded_positions: excluded,
      unavailable_scenarios: [...unavailable.values()],
    },
  };
}
