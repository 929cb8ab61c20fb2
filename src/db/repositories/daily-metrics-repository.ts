import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

export interface DailyMetricRow {
  date: string;
  metric: string;
  /** Flat string map, e.g. `{ "symbols": "all_known" }`; `{}` for none. */
  dimensions: Record<string, string>;
  value: number;
  sampleCount: number;
}

/** All SQL on `daily_metrics`: one value per (date, metric, dimensions). */
export class DailyMetricsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Makes the stored metrics of `date` among `metrics` exactly `rows`: each row is upserted on
   * its (date, metric, dimensions) key, and a metric of that family the new computation no
   * longer produces (say, a median whose samples were deleted) is removed, so re-running a day
   * is idempotent.
   */
  async replaceDay(
    date: string,
    metrics: readonly string[],
    rows: readonly Omit<DailyMetricRow, 'date'>[],
  ): Promise<void> {
    const metricCol = sql.param(rows.map((r) => r.metric));
    const dimensionsCol = sql.param(rows.map((r) => JSON.stringify(r.dimensions)));
    await this.db.transaction(async (tx) => {
      // jsonb equality is by value, so key order in `dimensions` does not matter.
      await tx.execute(sql`DELETE FROM daily_metrics dm
        WHERE dm.date = ${date}::date AND dm.metric = ANY(${sql.param([...metrics])}::text[])
          AND NOT EXISTS (
            SELECT 1 FROM unnest(${metricCol}::text[], ${dimensionsCol}::text[]) AS k(m, d)
            WHERE k.m = dm.metric AND k.d::jsonb = dm.dimensions)`);
      if (rows.length === 0) return;
      await tx.execute(sql`
        INSERT INTO daily_metrics (date, metric, dimensions, value, sample_count)
        SELECT ${date}::date, m, d::jsonb, v, n
        FROM unnest(${metricCol}::text[], ${dimensionsCol}::text[],
          ${sql.param(rows.map((r) => r.value))}::float8[],
          ${sql.param(rows.map((r) => r.sampleCount))}::int8[]) AS t(m, d, v, n)
        ON CONFLICT (date, metric, dimensions) DO UPDATE SET value = EXCLUDED.value,
          sample_count = EXCLUDED.sample_count, updated_at = now()`);
    });
  }

  /**
   * Rows of `metrics` on days `from`..`to` (inclusive), by date then metric. The int8 count is
   * cast: Drizzle's node-postgres session parses int8 itself, as a string.
   */
  async list(from: string, to: string, metrics: readonly string[]): Promise<DailyMetricRow[]> {
    return queryRows<DailyMetricRow & Record<string, unknown>>(
      this.db,
      sql`SELECT date, metric, dimensions, value, sample_count::float8 AS "sampleCount"
          FROM daily_metrics
          WHERE date BETWEEN ${from}::date AND ${to}::date
            AND metric = ANY(${sql.param([...metrics])}::text[])
          ORDER BY date, metric, dimensions::text`,
    );
  }
}
