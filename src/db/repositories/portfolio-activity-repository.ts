import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

export interface NewActivity {
  portfolioId: string;
  userId: string | null;
  /** e.g. `position.added`, `position.closed`, `equity_change.deleted`. */
  action: string;
  entity: 'position' | 'equity_change' | 'portfolio';
  entityId: string | null;
  before: unknown;
  after: unknown;
}

export interface ActivityRow {
  id: string;
  timestamp: string;
  userEmail: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** All SQL on `portfolio_activity`, the audit trail of changes to a book. */
export class PortfolioActivityRepository {
  constructor(private readonly db: Db) {}

  async record(entries: readonly NewActivity[]): Promise<void> {
    if (entries.length === 0) return;
    const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
    await this.db.execute(sql`
      INSERT INTO portfolio_activity (portfolio_id, user_id, action, entity, entity_id, before, after)
      SELECT * FROM unnest(
        ${sql.param(entries.map((e) => e.portfolioId))}::uuid[],
        ${sql.param(entries.map((e) => e.userId))}::uuid[],
        ${sql.param(entries.map((e) => e.action))}::text[],
        ${sql.param(entries.map((e) => e.entity))}::text[],
        ${sql.param(entries.map((e) => e.entityId))}::uuid[],
        ${sql.param(entries.map((e) => json(e.before)))}::jsonb[],
        ${sql.param(entries.map((e) => json(e.after)))}::jsonb[])`);
  }

  /** Newest first; `before` pages back from a timestamp. */
  async list(portfolioId: string, limit: number, before?: string): Promise<ActivityRow[]> {
    return queryRows<ActivityRow>(
      this.db,
      sql`SELECT a.id, to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS timestamp,
            u.email AS "userEmail", a.action, a.entity, a.entity_id AS "entityId",
            a.before, a.after
          FROM portfolio_activity a LEFT JOIN users u ON u.id = a.user_id
          WHERE a.portfolio_id = ${portfolioId}
            AND (${before ?? null}::timestamptz IS NULL OR a.created_at < ${before ?? null}::timestamptz)
          ORDER BY a.created_at DESC, a.id DESC
          LIMIT ${limit}`,
    );
  }
}
