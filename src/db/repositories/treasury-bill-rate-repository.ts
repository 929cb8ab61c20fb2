import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

export interface StoredBillRate {
  date: string;
  ratePercent: number;
}

/** All SQL on `treasury_bill_rates`. */
export class TreasuryBillRateRepository {
  constructor(private readonly db: Db) {}

  async upsert(rows: readonly StoredBillRate[], dataSource: string): Promise<number> {
    if (rows.length === 0) return 0;
    await this.db.execute(sql`
      INSERT INTO treasury_bill_rates (date, rate_percent, data_source, updated_at)
      SELECT d, r, ${dataSource}, now()
      FROM unnest(${sql.param(rows.map((r) => r.date))}::date[],
                  ${sql.param(rows.map((r) => r.ratePercent))}::float8[]) AS t(d, r)
      ON CONFLICT (date) DO UPDATE
        SET rate_percent = EXCLUDED.rate_percent, data_source = EXCLUDED.data_source, updated_at = now()
        WHERE treasury_bill_rates.rate_percent IS DISTINCT FROM EXCLUDED.rate_percent`);
    return rows.length;
  }

  /** First and last stored date, or null when the table is empty. */
  async coverage(): Promise<{ first: string; last: string } | null> {
    const [row] = await queryRows<{ first: string | null; last: string | null }>(
      this.db,
      sql`SELECT min(date) AS first, max(date) AS last FROM treasury_bill_rates`,
    );
    return row?.first && row.last ? { first: row.first, last: row.last } : null;
  }

  /**
   * Quotes in [from, to] oldest first, plus the last quote before `from` (so the first day of
   * a range has the rate in force when its own quote is missing).
   */
  async between(from: string, to: string): Promise<StoredBillRate[]> {
    return queryRows<StoredBillRate>(
      this.db,
      sql`(SELECT date, rate_percent AS "ratePercent" FROM treasury_bill_rates
            WHERE date < ${from} ORDER BY date DESC LIMIT 1)
          UNION ALL
          (SELECT date, rate_percent AS "ratePercent" FROM treasury_bill_rates
            WHERE date BETWEEN ${from} AND ${to})
          ORDER BY date`,
    );
  }
}
