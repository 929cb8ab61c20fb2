import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';

export interface CustomScenarioRow {
  id: string;
  userId: string;
  name: string;
  description: string | null;
  /** As the user gave them; null for a window. */
  shocks: Record<string, number> | null;
  windowStart: string | null;
  windowEnd: string | null;
  /** The factor-series moves the scenario resolves to. */
  moves: { factor: string; value: number }[];
  createdAt: string;
}

export type NewCustomScenario = Omit<CustomScenarioRow, 'id' | 'createdAt'>;

const COLUMNS = sql`id, user_id AS "userId", name, description, shocks,
  window_start AS "windowStart", window_end AS "windowEnd", moves,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

/** All SQL on `custom_stress_scenarios`; every query is scoped to its user. */
export class CustomStressScenarioRepository {
  constructor(private readonly db: Db) {}

  async create(row: NewCustomScenario): Promise<CustomScenarioRow> {
    const [created] = await queryRows<CustomScenarioRow>(
      this.db,
      sql`INSERT INTO custom_stress_scenarios (user_id, name, description, shocks, window_start, window_end, moves)
          VALUES (${row.userId}, ${row.name}, ${row.description},
            ${row.shocks === null ? null : JSON.stringify(row.shocks)}::jsonb,
            ${row.windowStart}::date, ${row.windowEnd}::date, ${JSON.stringify(row.moves)}::jsonb)
          RETURNING ${COLUMNS}`,
    );
    return created!;
  }

  /** The user's scenarios, oldest first. */
  async list(userId: string): Promise<CustomScenarioRow[]> {
    return queryRows<CustomScenarioRow>(
      this.db,
      sql`SELECT ${COLUMNS} FROM custom_stress_scenarios WHERE user_id = ${userId}
          ORDER BY created_at, id`,
    );
  }

  async count(userId: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      this.db,
      sql`SELECT count(*)::int AS n FROM custom_stress_scenarios WHERE user_id = ${userId}`,
    );
    return row?.n ?? 0;
  }

  /** True when the user's scenario existed and is now gone. */
  async delete(userId: string, id: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`DELETE FROM custom_stress_scenarios WHERE id = ${id} AND user_id = ${userId} RETURNING id`,
    );
    return rows.length > 0;
  }
}
