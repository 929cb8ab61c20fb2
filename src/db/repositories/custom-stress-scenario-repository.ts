import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { customStressScenarios } from '../schema/index.ts';
import { withIsoTimes, type WithIsoTimes } from './row-values.ts';

/**
 * A user's own scenario: `shocks` as the user gave them (null for a window), `moves` the
 * factor-series moves the scenario resolves to; `createdAt` ISO-8601.
 */
export type CustomScenarioRow = WithIsoTimes<
  typeof customStressScenarios.$inferSelect,
  'createdAt'
>;

export type NewCustomScenario = Omit<CustomScenarioRow, 'id' | 'createdAt'>;

const toRow = (row: typeof customStressScenarios.$inferSelect): CustomScenarioRow =>
  withIsoTimes(row, ['createdAt']);

/** All SQL on `custom_stress_scenarios`; every query is scoped to its user. */
export class CustomStressScenarioRepository {
  constructor(private readonly db: Db) {}

  async create(row: NewCustomScenario): Promise<CustomScenarioRow> {
    const [created] = await this.db
      .insert(customStressScenarios)
      .values({
        userId: row.userId,
        name: row.name,
        description: row.description,
        shocks: row.shocks,
        windowStart: row.windowStart,
        windowEnd: row.windowEnd,
        moves: row.moves,
      })
      .returning();
    return toRow(created!);
  }

  /** The user's scenarios, oldest first. */
  async list(userId: string): Promise<CustomScenarioRow[]> {
    const rows = await this.db
      .select()
      .from(customStressScenarios)
      .where(eq(customStressScenarios.userId, userId))
      .orderBy(asc(customStressScenarios.createdAt), asc(customStressScenarios.id));
    return rows.map(toRow);
  }

  async count(userId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(customStressScenarios)
      .where(eq(customStressScenarios.userId, userId));
    return row?.n ?? 0;
  }

  /** True when the user's scenario existed and is now gone. */
  async delete(userId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(customStressScenarios)
      .where(and(eq(customStressScenarios.id, id), eq(customStressScenarios.userId, userId)))
      .returning({ id: customStressScenarios.id });
    return rows.length > 0;
  }
}
