import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import type { EquityChangeType } from '../schema/enums.ts';

export interface EquityChangeRow {
  id: string;
  portfolioId: string;
  changeType: EquityChangeType;
  amount: number;
  changeDate: string;
  note: string | null;
  createdAt: string;
}

const COLUMNS = sql`id, portfolio_id AS "portfolioId", change_type AS "changeType",
  amount::float8 AS amount, change_date AS "changeDate", note,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

/**
 * All SQL on `equity_changes` (contributions and withdrawals). Deletes are soft, like the
 * portfolios': the P&L engine reads live rows only (`signedFlowsOf`).
 */
export class EquityChangeRepository {
  constructor(private readonly db: Db) {}

  async create(input: {
    portfolioId: string;
    changeType: EquityChangeType;
    /** Exact decimal text, > 0. */
    amount: string;
    changeDate: string;
    note: string | null;
  }): Promise<EquityChangeRow> {
    const [row] = await queryRows<EquityChangeRow>(
      this.db,
      sql`INSERT INTO equity_changes (portfolio_id, change_type, amount, change_date, note)
          VALUES (${input.portfolioId}, ${input.changeType}, ${input.amount}::numeric,
            ${input.changeDate}::date, ${input.note})
          RETURNING ${COLUMNS}`,
    );
    return row!;
  }

  /**
   * What the P&L engine reads: each portfolio's live capital flows by date, signed
   * (contributions +, withdrawals −).
   */
  async signedFlowsOf(
    portfolioIds: readonly string[],
  ): Promise<Map<string, { date: string; amount: number }[]>> {
    const rows = await queryRows<{ portfolioId: string; date: string; amount: number }>(
      this.db,
      sql`SELECT portfolio_id AS "portfolioId", change_date AS date,
            (CASE WHEN change_type = 'CONTRIBUTION' THEN amount ELSE -amount END)::float8 AS amount
          FROM equity_changes WHERE portfolio_id = ANY(${sql.param([...portfolioIds])}::uuid[])
            AND deleted_at IS NULL
          ORDER BY portfolio_id, change_date`,
    );
    const out = new Map<string, { date: string; amount: number }[]>(
      portfolioIds.map((id) => [id, []]),
    );
    for (const r of rows) out.get(r.portfolioId)?.push({ date: r.date, amount: r.amount });
    return out;
  }

  /** Live changes of a portfolio, oldest first (same-day ones in the order they were entered). */
  async list(portfolioId: string): Promise<EquityChangeRow[]> {
    return queryRows<EquityChangeRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM equity_changes
          WHERE portfolio_id = ${portfolioId} AND deleted_at IS NULL
          ORDER BY change_date, created_at, id`,
    );
  }

  /** The deleted change, or null when the portfolio has no live change with this id. */
  async softDelete(portfolioId: string, changeId: string): Promise<EquityChangeRow | null> {
    const rows = await queryRows<EquityChangeRow>(
      this.db,
      sql`UPDATE equity_changes SET deleted_at = now()
          WHERE id = ${changeId} AND portfolio_id = ${portfolioId} AND deleted_at IS NULL
          RETURNING ${COLUMNS}`,
    );
    return rows[0] ?? null;
  }
}
