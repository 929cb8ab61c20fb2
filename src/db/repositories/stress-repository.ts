import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { jsonTextArray, moneyText } from './bulk-params.ts';

export interface ScenarioRow {
  scenarioId: string;
  name: string;
  description: string;
  category: string;
  severity: string;
  shocks: Record<string, number>;
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

/** All SQL on `stress_test_scenarios` and `stress_test_results`. */
export class StressRepository {
  constructor(private readonly db: Db) {}

  /** Seeds the scenario table; running it again leaves one current row per scenario. */
  async seedScenarios(scenarios: readonly ScenarioRow[]): Promise<void> {
    await this.db.execute(sql`
      INSERT INTO stress_test_scenarios (scenario_id, name, description, category, severity, shocks, active)
      SELECT i, n, d, c, s, sh::jsonb, true FROM unnest(
        ${sql.param(scenarios.map((x) => x.scenarioId))}::text[], ${sql.param(scenarios.map((x) => x.name))}::text[],
        ${sql.param(scenarios.map((x) => x.description))}::text[], ${sql.param(scenarios.map((x) => x.category))}::text[],
        ${sql.param(scenarios.map((x) => x.severity))}::text[],
        ${sql.param(scenarios.map((x) => JSON.stringify(x.shocks)))}::text[]) AS t(i, n, d, c, s, sh)
      ON CONFLICT (scenario_id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
        category = EXCLUDED.category, severity = EXCLUDED.severity, shocks = EXCLUDED.shocks,
        active = true, updated_at = now()`);
  }

  /**
   * Replaces the results of many portfolios for a date: one delete and one insert, whatever the
   * number of portfolios. Run it inside a transaction to make it atomic.
   */
  async replaceMany(
    date: string,
    writes: readonly { portfolioId: string; rows: readonly StressResultRow[] }[],
  ): Promise<void> {
    if (writes.length === 0) return;
    await this.db.execute(sql`DELETE FROM stress_test_results
      WHERE portfolio_id = ANY(${sql.param(writes.map((w) => w.portfolioId))}::uuid[])
        AND calculation_date = ${date}`);
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
            r.position_impacts AS "positionImpacts", s.name, s.description, s.category, s.severity, s.shocks
          FROM stress_test_results r JOIN stress_test_scenarios s ON s.scenario_id = r.scenario_id
          WHERE r.portfolio_id = ${portfolioId} AND r.calculation_date = ${date}
          ORDER BY s.category, r.scenario_id`,
    );
  }
}
