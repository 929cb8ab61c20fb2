import { asc, eq, max, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { factorDefinitions, symbolFactorExposures } from '../schema/index.ts';

export interface FactorDefinitionInput {
  name: string;
  description?: string | null;
  factorType: string;
  calculationMethod: string;
  etfProxy: string | null;
  displayOrder: number;
}

export interface FactorDefinitionRow extends FactorDefinitionInput {
  id: number;
  isActive: boolean;
}

export interface SymbolFactorRow {
  symbol: string;
  factorId: number;
  calculationDate: string;
  beta: number;
  rSquared: number | null;
  stdError: number | null;
  observations: number;
  calculationMethod: string;
  regularizationAlpha: number | null;
  windowDays: number;
  qualityFlag: string | null;
}

const UPSERT_CHUNK = 20_000;

/** All SQL on `factor_definitions` and `symbol_factor_exposures`. */
export class FactorRepository {
  constructor(private readonly db: Db) {}

  /** Seeds the definitions; running it again leaves one row per name with the current text. */
  async seedDefinitions(
    definitions: readonly FactorDefinitionInput[],
  ): Promise<FactorDefinitionRow[]> {
    await this.db.execute(sql`
      INSERT INTO factor_definitions (name, description, factor_type, calculation_method, etf_proxy,
        display_order, is_active)
      SELECT n, d, t, m, e, o, true
      FROM unnest(${sql.param(definitions.map((f) => f.name))}::text[],
        ${sql.param(definitions.map((f) => f.description ?? null))}::text[],
        ${sql.param(definitions.map((f) => f.factorType))}::text[],
        ${sql.param(definitions.map((f) => f.calculationMethod))}::text[],
        ${sql.param(definitions.map((f) => f.etfProxy))}::text[],
        ${sql.param(definitions.map((f) => f.displayOrder))}::int[]) AS x(n, d, t, m, e, o)
      ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description,
        factor_type = EXCLUDED.factor_type, calculation_method = EXCLUDED.calculation_method,
        etf_proxy = EXCLUDED.etf_proxy, display_order = EXCLUDED.display_order, is_active = true,
        updated_at = now()`);
    return this.listDefinitions();
  }

  async listDefinitions(): Promise<FactorDefinitionRow[]> {
    return this.db
      .select({
        id: factorDefinitions.id,
        name: factorDefinitions.name,
        description: factorDefinitions.description,
        factorType: factorDefinitions.factorType,
        calculationMethod: factorDefinitions.calculationMethod,
        etfProxy: factorDefinitions.etfProxy,
        displayOrder: factorDefinitions.displayOrder,
        isActive: factorDefinitions.isActive,
      })
      .from(factorDefinitions)
      .orderBy(asc(factorDefinitions.displayOrder));
  }

  /**
   * Replaces the exposures of the given (symbol, date) pairs in one transaction: a symbol's
   * factors for a date are all written or none are.
   */
  async replaceSymbolExposures(
    rows: readonly SymbolFactorRow[],
    scope: { symbols: readonly string[]; dates: readonly string[] },
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (scope.symbols.length > 0 && scope.dates.length > 0) {
        await tx.execute(sql`DELETE FROM symbol_factor_exposures
          WHERE symbol = ANY(${sql.param([...scope.symbols])}::text[])
            AND calculation_date = ANY(${sql.param([...scope.dates])}::date[])`);
      }
      for (let start = 0; start < rows.length; start += UPSERT_CHUNK) {
        const chunk = rows.slice(start, start + UPSERT_CHUNK);
        const col = <K extends keyof SymbolFactorRow>(k: K) => sql.param(chunk.map((r) => r[k]));
        await tx.execute(sql`
          INSERT INTO symbol_factor_exposures (symbol, factor_id, calculation_date, beta, r_squared,
            std_error, observations, calculation_method, regularization_alpha, window_days, quality_flag)
          SELECT * FROM unnest(${col('symbol')}::text[], ${col('factorId')}::int[],
            ${col('calculationDate')}::date[], ${col('beta')}::float8[], ${col('rSquared')}::float8[],
            ${col('stdError')}::float8[], ${col('observations')}::int[],
            ${col('calculationMethod')}::text[], ${col('regularizationAlpha')}::float8[],
            ${col('windowDays')}::int[], ${col('qualityFlag')}::text[])
          ON CONFLICT (symbol, factor_id, calculation_date) DO UPDATE SET beta = EXCLUDED.beta,
            r_squared = EXCLUDED.r_squared, std_error = EXCLUDED.std_error,
            observations = EXCLUDED.observations, calculation_method = EXCLUDED.calculation_method,
            regularization_alpha = EXCLUDED.regularization_alpha, window_days = EXCLUDED.window_days,
            quality_flag = EXCLUDED.quality_flag`);
      }
    });
  }

  /** One symbol's factor rows for a date, in display order, with the factor names. */
  async getSymbolExposures(
    symbol: string,
    date: string,
  ): Promise<(SymbolFactorRow & { factorName: string; displayOrder: number })[]> {
    return queryRows(
      this.db,
      sql`SELECT e.symbol, e.factor_id AS "factorId", e.calculation_date AS "calculationDate",
            e.beta, e.r_squared AS "rSquared", e.std_error AS "stdError", e.observations,
            e.calculation_method AS "calculationMethod",
            e.regularization_alpha AS "regularizationAlpha", e.window_days AS "windowDays",
            e.quality_flag AS "qualityFlag", f.name AS "factorName", f.display_order AS "displayOrder"
          FROM symbol_factor_exposures e JOIN factor_definitions f ON f.id = e.factor_id
          WHERE e.symbol = ${symbol} AND e.calculation_date = ${date}
          ORDER BY f.display_order`,
    );
  }

  /** Of `symbols`, those with at least one factor row on `date` ("known" for onboarding). */
  async symbolsWithExposures(symbols: readonly string[], date: string): Promise<Set<string>> {
    const rows = await queryRows<{ symbol: string }>(
      this.db,
      sql`SELECT DISTINCT symbol FROM symbol_factor_exposures
          WHERE calculation_date = ${date} AND symbol = ANY(${sql.param([...symbols])}::text[])`,
    );
    return new Set(rows.map((r) => r.symbol));
  }

  /** The latest date a symbol has factor rows for. */
  async latestExposureDate(symbol: string): Promise<string | null> {
    const [row] = await this.db
      .select({ d: max(symbolFactorExposures.calculationDate) })
      .from(symbolFactorExposures)
      .where(eq(symbolFactorExposures.symbol, symbol));
    return row?.d ?? null;
  }

  /** symbol → factor name → beta, for every symbol with rows on `date`. */
  async symbolBetas(
    symbols: readonly string[],
    date: string,
  ): Promise<Map<string, Map<string, number>>> {
    const rows = await queryRows<{ symbol: string; name: string; beta: number }>(
      this.db,
      sql`SELECT e.symbol, f.name, e.beta FROM symbol_factor_exposures e
          JOIN factor_definitions f ON f.id = e.factor_id
          WHERE e.calculation_date = ${date} AND e.symbol = ANY(${sql.param([...symbols])}::text[])`,
    );
    const out = new Map<string, Map<string, number>>();
    for (const r of rows) {
      let m = out.get(r.symbol);
      if (!m) out.set(r.symbol, (m = new Map()));
      m.set(r.name, r.beta);
    }
    return out;
  }
}
