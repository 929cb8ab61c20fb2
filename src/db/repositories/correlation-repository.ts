import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { correlationCalculations, pairwiseCorrelations } from '../schema/index.ts';
import { queryRows, type Db } from '../database.ts';
import { indexedValues, jsonTextArray } from './bulk-params.ts';

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

  /**
   * Replaces the calculations of many portfolios for a date (each for its lookback) with their
   * full pair matrices: one delete (their pairs go with them) and one insert per table. Run it
   * inside a transaction to make it atomic.
   */
  async replaceMany(
    date: string,
    writes: readonly { portfolioId: string; calculation: CorrelationCalculationInput }[],
  ): Promise<void> {
    if (writes.length === 0) return;
    const calcs = writes.map((w) => ({ portfolioId: w.portfolioId, ...w.calculation }));
    const col = <K extends keyof (typeof calcs)[number]>(k: K) => sql.param(calcs.map((c) => c[k]));
    await this.db.execute(sql`DELETE FROM correlation_calculations c
      USING unnest(${col('portfolioId')}::uuid[], ${col('lookbackDays')}::int[]) AS t(p, l)
      WHERE c.portfolio_id = t.p AND c.lookback_days = t.l AND c.calculation_date = ${date}`);
    const inserted = await queryRows<{ id: string; portfolioId: string; lookbackDays: number }>(
      this.db,
      sql`INSERT INTO correlation_calculations (portfolio_id, calculation_date, lookback_days, min_overlap,
            overall_correlation, effective_positions, data_quality, positions_included,
            positions_excluded, position_details)
          SELECT p, ${date}::date, l, m, o, e, q, i, x, d::jsonb
          FROM unnest(${col('portfolioId')}::uuid[], ${col('lookbackDays')}::int[],
            ${col('minOverlap')}::int[], ${col('overallCorrelation')}::float8[],
            ${col('effectivePositions')}::float8[], ${col('dataQuality')}::text[],
            ${col('positionsIncluded')}::int[], ${col('positionsExcluded')}::int[],
            ${jsonTextArray(calcs.map((c) => c.positionDetails))})
            AS t(p, l, m, o, e, q, i, x, d)
          RETURNING id, portfolio_id AS "portfolioId", lookback_days AS "lookbackDays"`,
    );
    const idOf = new Map(inserted.map((r) => [`${r.portfolioId}|${r.lookbackDays}`, r.id]));
    const pairs = calcs.flatMap((c) => {
      const id = idOf.get(`${c.portfolioId}|${c.lookbackDays}`)!;
      return c.pairs.map((p) => ({ id, ...p }));
    });
    if (pairs.length === 0) return;
    // ~435 pairs per calculation: each id is sent once and rows point at it.
    const ids = indexedValues(pairs.map((p) => p.id));
    await this.db
      .execute(sql`INSERT INTO pairwise_correlations (correlation_calculation_id, symbol_1, symbol_2, correlation, data_points)
      SELECT (${sql.param(ids.distinct)}::uuid[])[c], a, b, r, n FROM unnest(${sql.param(ids.index)}::int[],
        ${sql.param(pairs.map((p) => p.symbol1))}::text[], ${sql.param(pairs.map((p) => p.symbol2))}::text[],
        ${sql.param(pairs.map((p) => p.correlation))}::float8[],
        ${sql.param(pairs.map((p) => p.dataPoints))}::int[]) AS t(c, a, b, r, n)`);
  }

  async latest(portfolioId: string, lookbackDays: number): Promise<StoredCorrelation | null> {
    const c = correlationCalculations;
    const [calc] = await this.db
      .select({
        id: c.id,
        calculationDate: c.calculationDate,
        overallCorrelation: c.overallCorrelation,
        effectivePositions: c.effectivePositions,
        dataQuality: c.dataQuality,
        positionsIncluded: c.positionsIncluded,
        positionsExcluded: c.positionsExcluded,
        positionDetails: c.positionDetails,
      })
      .from(c)
      .where(and(eq(c.portfolioId, portfolioId), eq(c.lookbackDays, lookbackDays)))
      .orderBy(desc(c.calculationDate))
      .limit(1);
    if (!calc) return null;
    const p = pairwiseCorrelations;
    const pairs = await this.db
      .select({
        symbol1: p.symbol1,
        symbol2: p.symbol2,
        correlation: p.correlation,
        dataPoints: p.dataPoints,
      })
      .from(p)
      .where(eq(p.correlationCalculationId, calc.id))
      .orderBy(asc(p.symbol1), asc(p.symbol2));
    return { ...calc, pairs };
  }
}
