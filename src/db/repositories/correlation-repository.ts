import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

export interface CorrelationCalculationInput {
  lookbackDays: number;
  minOverlap: number;
  overallCorrelation: number | null;
  effectivePositions: number | null;
  dataQuality: string;
  positionsIncluded: number;
  positionsExcluded: number;
  positionDetails: unknown;
  pairs: readonly StoredPair[];
}

export interface StoredCalculation {
  id: string;
  calculationDate: string;
  overallCorrelation: number | null;
  effectivePositions: number | null;
  dataQuality: string;
  positionsIncluded: number;
  positionsExcluded: number;
  positionDetails: unknown;
}

export interface StoredPair {
  symbol1: string;
  symbol2: string;
  correlation: number;
  dataPoints: number;
}

export type StoredCorrelation = StoredCalculation & { pairs: StoredPair[] };

/** All SQL on `correlation_calculations` and `pairwise_correlations`. */
export class CorrelationRepository {
  constructor(private readonly db: Db) {}

  /** Replaces the calculation for (portfolio, lookback, date) with its full pair matrix. */
  async replace(portfolioId: string, date: string, c: CorrelationCalculationInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute(sql`DELETE FROM correlation_calculations WHERE portfolio_id = ${portfolioId}
        AND lookback_days = ${c.lookbackDays} AND calculation_date = ${date}`);
      const [row] = await queryRows<{ id: string }>(
        tx,
        sql`INSERT INTO correlation_calculations (portfolio_id, calculation_date, lookback_days, min_overlap,
              overall_correlation, effective_positions, data_quality, positions_included,
              positions_excluded, position_details)
            VALUES (${portfolioId}, ${date}, ${c.lookbackDays}, ${c.minOverlap}, ${c.overallCorrelation},
              ${c.effectivePositions}, ${c.dataQuality}, ${c.positionsIncluded}, ${c.positionsExcluded},
              ${JSON.stringify(c.positionDetails)}::jsonb)
            RETURNING id`,
      );
      if (c.pairs.length === 0) return;
      await tx.execute(sql`INSERT INTO pairwise_correlations (correlation_calculation_id, symbol_1, symbol_2, correlation, data_points)
        SELECT ${row!.id}::uuid, a, b, r, n FROM unnest(${sql.param(c.pairs.map((p) => p.symbol1))}::text[],
          ${sql.param(c.pairs.map((p) => p.symbol2))}::text[], ${sql.param(c.pairs.map((p) => p.correlation))}::float8[],
          ${sql.param(c.pairs.map((p) => p.dataPoints))}::int[]) AS t(a, b, r, n)`);
    });
  }

  async latest(portfolioId: string, lookbackDays: number): Promise<StoredCorrelation | null> {
    const [calc] = await queryRows<StoredCalculation>(
      this.db,
      sql`SELECT id, calculation_date AS "calculationDate", overall_correlation AS "overallCorrelation",
            effective_positions AS "effectivePositions", data_quality AS "dataQuality",
            positions_included AS "positionsIncluded", positions_excluded AS "positionsExcluded",
            position_details AS "positionDetails"
          FROM correlation_calculations WHERE portfolio_id = ${portfolioId} AND lookback_days = ${lookbackDays}
          ORDER BY calculation_date DESC LIMIT 1`,
    );
    if (!calc) return null;
    const pairs = await queryRows<StoredPair>(
      this.db,
      sql`SELECT symbol_1 AS symbol1, symbol_2 AS symbol2, correlation, data_points AS "dataPoints"
          FROM pairwise_correlations WHERE correlation_calculation_id = ${calc.id} ORDER BY symbol_1, symbol_2`,
    );
    return { ...calc, pairs };
  }
}
