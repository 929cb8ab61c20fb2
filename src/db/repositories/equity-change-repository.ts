import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import type { EquityChangeType } from '../schema/enums.ts';
import { equityChanges } from '../schema/index.ts';
import { withIsoTimes, withNumbers, type WithIsoTimes, type WithNumbers } from './row-values.ts';

type EquityChangeRecord = Omit<typeof equityChanges.$inferSelect, 'deletedAt'>;

/** A change as the services see it: the amount a number, `createdAt` ISO-8601. */
export type EquityChangeRow = WithIsoTimes<WithNumbers<EquityChangeRecord, 'amount'>, 'createdAt'>;

// Every column of a change but `deletedAt`.
const { deletedAt: _deletedAt, ...COLUMNS } = getTableColumns(equityChanges);

const toRow = (row: EquityChangeRecord): EquityChangeRow =>
  withIsoTimes(withNumbers(row, ['amount']), ['createdAt']);

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
    const [row] = await this.db.insert(equityChanges).values(input).returning(COLUMNS);
    return toRow(row!);
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
    const rows = await this.db
      .select(COLUMNS)
      .from(equityChanges)
      .where(and(eq(equityChanges.portfolioId, portfolioId), isNull(equityChanges.deletedAt)))
      .orderBy(asc(equityChanges.changeDate), asc(equityChanges.createdAt), asc(equityChanges.id));
    return rows.map(toRow);
  }

  /** The deleted change, or null when the portfolio has no live change with this id. */
  async softDelete(portfolioId: string, changeId: string): Promise<EquityChangeRow | null> {
    const [row] = await this.db
      .update(equityChanges)
      .set({ deletedAt: sql`now()` })
      .where(
        and(
          eq(equityChanges.id, changeId),
          eq(equityChanges.portfolioId, portfolioId),
          isNull(equityChanges.deletedAt),
        ),
      )
      .returning(COLUMNS);
    return row ? toRow(row) : null;
  }
}
