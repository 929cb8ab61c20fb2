import { sql } from 'drizzle-orm';
import type {
  PortfolioStressModel,
  StressTestResult,
} from '../../domain/stress/run-stress-test.ts';
import { cents } from '../../domain/money.ts';
import { queryRows, type Db } from '../database.ts';
import { jsonTextArray, moneyText } from './bulk-params.ts';

export interface ScenarioRow {
  scenarioId: string;
  name: string;
  description: string;
  category: string;
  severity: string;
  shocks: Record<string, number>;
  windowStart: string | null;
  windowEnd: string | null;
}

export interface StressResultRow {
  scenarioId: string;
  portfolioValue: number;
  directPnl: number;
  correlatedPnl: number;
  correlationEffect: number;
  factorImpacts: unknown;
  positionImpacts: unknown;
}

/** One portfolio's stress results for a date, and the model they were computed with. */
export interface PortfolioStressWrite {
  portfolioId: string;
  calculationDate: string;
  nav: number;
  model: PortfolioStressModel;
  /** Built-in replays without stored closes over their window: not evaluated. */
  unavailableScenarios: string[];
  rows: StressResultRow[];
}

/** The stored model document: the domain model plus what a later evaluation needs. */
export interface StoredStressModel extends PortfolioStressModel {
  nav: number;
  unavailableScenarios: string[];
}

export const POSITION_IMPACT_COLUMNS = [
  'position_id',
  'symbol',
  'pnl_direct',
  'pnl_correlated',
  'return_direct',
  'return_correlated',
] as const;
const ratio = (x: number) => Math.round(x * 1e8) / 1e8;

/**
 * A result as stored (and as a user's own scenario is answered): P&L to the cent, position
 * impacts column-wise and rounded (22 × N of them a night).
 */
export function toStressResultRow(r: StressTestResult): StressResultRow {
  return {
    scenarioId: r.scenarioId,
    portfolioValue: cents(r.nav),
    directPnl: cents(r.directPnl),
    correlatedPnl: cents(r.correlatedPnl),
    correlationEffect: cents(r.correlationEffect),
    factorImpacts: r.factorImpacts,
    positionImpacts: {
      columns: POSITION_IMPACT_COLUMNS,
      rows: r.positionImpacts.map((p) => [
        p.positionId,
        p.symbol,
        cents(p.pnl_direct),
        cents(p.pnl_correlated),
        ratio(p.return_direct),
        ratio(p.return_correlated),
      ]),
      excluded: r.excluded,
      attribution_residual: {
        direct: cents(r.attributionResidual.direct),
        correlated: cents(r.attributionResidual.correlated),
      },
    },
  };
}

/** All SQL on `stress_test_scenarios`, `stress_test_results` and `portfolio_stress_models`. */
export class StressRepository {
  constructor(private readonly db: Db) {}

  /** Seeds the scenario table; running it again leaves one current row per scenario. */
  async seedScenarios(scenarios: readonly ScenarioRow[]): Promise<void> {
    const column = <K extends keyof ScenarioRow>(key: K) => scenarios.map((x) => x[key]);
    await this.db.execute(sql`
      INSERT INTO stress_test_scenarios (scenario_id, name, description, category, severity, shocks,
        window_start, window_end, active)
      SELECT i, n, d, c, s, sh::jsonb, ws, we, true FROM unnest(
        ${sql.param(column('scenarioId'))}::text[], ${sql.param(column('name'))}::text[],
        ${sql.param(column('description'))}::text[], ${sql.param(column('category'))}::text[],
        ${sql.param(column('severity'))}::text[],
        ${sql.param(scenarios.map((x) => JSON.stringify(x.shocks)))}::text[],
        ${sql.param(column('windowStart'))}::date[], ${sql.param(column('windowEnd'))}::date[])
        AS t(i, n, d, c, s, sh, ws, we)
      ON CONFLICT (scenario_id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
        category = EXCLUDED.category, severity = EXCLUDED.severity, shocks = EXCLUDED.shocks,
        window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
        active = true, updated_at = now()`);
  }

  /**
   * Replaces the results of many portfolios for a date: one delete and one insert, whatever the
   * number of portfolios, and each portfolio's model unless a later date's is stored. Run it
   * inside a transaction to make it atomic.
   */
  async replaceMany(date: string, writes: readonly PortfolioStressWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const ids = writes.map((w) => w.portfolioId);
    await this.db.execute(sql`DELETE FROM stress_test_results
      WHERE portfolio_id = ANY(${sql.param(ids)}::uuid[]) AND calculation_date = ${date}`);
    const documents: StoredStressModel[] = writes.map((w) => ({
      ...w.model,
      nav: w.nav,
      unavailableScenarios: w.unavailableScenarios,
    }));
    // Backfilling an older date never replaces the model of a newer one.
    await this.db.execute(sql`
      INSERT INTO portfolio_stress_models (portfolio_id, calculation_date, model, updated_at)
      SELECT p, ${date}::date, m::json, now()
      FROM unnest(${sql.param(ids)}::uuid[], ${jsonTextArray(documents)}) AS t(p, m)
      ON CONFLICT (portfolio_id) DO UPDATE
        SET calculation_date = EXCLUDED.calculation_date, model = EXCLUDED.model, updated_at = now()
        WHERE portfolio_stress_models.calculation_date <= EXCLUDED.calculation_date`);
    const rows = writes.flatMap((w) => w.rows.map((r) => ({ portfolioId: w.portfolioId, ...r })));
    if (rows.length === 0) return;
    const money = (k: 'portfolioValue' | 'directPnl' | 'correlatedPnl' | 'correlationEffect') =>
      sql`${sql.param(rows.map((r) => moneyText(r[k])))}::numeric[]`;
    await this.db.execute(sql`
      INSERT INTO stress_test_results (portfolio_id, scenario_id, calculation_date, portfolio_value,
        direct_pnl, correlated_pnl, correlation_effect, factor_impacts, position_impacts)
      SELECT p, s, ${date}::date, v, dp, cp, ce, fi::json, pi::json FROM unnest(
        ${sql.param(rows.map((r) => r.portfolioId))}::uuid[], ${sql.param(rows.map((r) => r.scenarioId))}::text[],
        ${money('portfolioValue')}, ${money('directPnl')}, ${money('correlatedPnl')},
        ${money('correlationEffect')}, ${jsonTextArray(rows.map((r) => r.factorImpacts))},
        ${jsonTextArray(rows.map((r) => r.positionImpacts))})
        AS t(p, s, v, dp, cp, ce, fi, pi)`);
  }

  async results(portfolioId: string, date: string): Promise<(StressResultRow & ScenarioRow)[]> {
    return queryRows(
      this.db,
      sql`SELECT r.scenario_id AS "scenarioId", r.portfolio_value::float8 AS "portfolioValue",
            r.direct_pnl::float8 AS "directPnl", r.correlated_pnl::float8 AS "correlatedPnl",
            r.correlation_effect::float8 AS "correlationEffect", r.factor_impacts AS "factorImpacts",
            r.position_impacts AS "positionImpacts", s.name, s.description, s.category, s.severity,
            s.shocks, s.window_start AS "windowStart", s.window_end AS "windowEnd"
          FROM stress_test_results r JOIN stress_test_scenarios s ON s.scenario_id = r.scenario_id
          WHERE r.portfolio_id = ${portfolioId} AND r.calculation_date = ${date}
          ORDER BY s.category, r.scenario_id`,
    );
  }

  /** The model of the portfolio's latest stress results, with its date. */
  async model(
    portfolioId: string,
  ): Promise<{ calculationDate: string; model: StoredStressModel } | null> {
    const [row] = await queryRows<{ calculationDate: string; model: StoredStressModel | string }>(
      this.db,
      sql`SELECT calculation_date AS "calculationDate", model FROM portfolio_stress_models
          WHERE portfolio_id = ${portfolioId}`,
    );
    if (!row) return null;
    const model =
      typeof row.model === 'string' ? (JSON.parse(row.model) as StoredStressModel) : row.model;
    return { calculationDate: row.calculationDate, model };
  }
}
