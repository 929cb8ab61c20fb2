import { and, eq, getTableColumns, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { AccountType } from '../schema/enums.ts';
import { portfolios } from '../schema/index.ts';
import { PositionRepository, type NewPosition } from './position-repository.ts';
import {
  anyOf,
  withIsoTimes,
  withNumbers,
  type WithIsoTimes,
  type WithNumbers,
} from './row-values.ts';

// The lot types moved with their SQL to position-repository.ts; importers still find them here.

type PortfolioRecord = Omit<
  typeof portfolios.$inferSelect,
  'recalculationRequestedAt' | 'deletedAt'
>;

/** A live portfolio as the services see it: the balance a number, timestamps ISO-8601. */
export type PortfolioRow = WithIsoTimes<
  WithNumbers<PortfolioRecord, 'equityBalance'>,
  'createdAt' | 'updatedAt'
>;

/** A portfolio with what list views show: live position count and its latest snapshot's values. */
export interface PortfolioSummaryRow extends PortfolioRow {
  /** Live positions still open on the `today` the query was given. */
  openPositionCount: number;
  latestSnapshotDate: string | null;
  latestNetAssetValue: number | null;
  latestNetExposure: number | null;
  /** Sum of the positions' stored marks (null when no position has been priced yet). */
  positionsMarketValue: number | null;
}

export interface PortfolioPatch {
  name?: string;
  description?: string | null;
  accountName?: string;
  accountType?: AccountType;
  equityBalance?: string;
}

/** What the refresh needs of a portfolio to build its history. */
export interface RefreshAnchor {
  id: string;
  anchorDate: string | null;
  /** The user-stated NAV on the anchor date. */
  equityBalance: number;
}

export class DuplicateAccountNameError extends Error {
  constructor(readonly accountName: string) {
    super(`You already have a portfolio with the account name "${accountName}"`);
    this.name = 'DuplicateAccountNameError';
  }
}

// Every column of a portfolio but its bookkeeping ones.
const {
  recalculationRequestedAt: _recalculationRequestedAt,
  deletedAt: _deletedAt,
  ...PORTFOLIO_COLUMNS
} = getTableColumns(portfolios);

const toPortfolioRow = (row: PortfolioRecord): PortfolioRow =>
  withIsoTimes(withNumbers(row, ['equityBalance']), ['createdAt', 'updatedAt']);

const PORTFOLIO_COLUMNS_OF_P = sql`p.id, p.user_id AS "userId", p.name, p.description,
  p.account_name AS "accountName", p.account_type AS "accountType", p.currency,
  p.equity_balance::float8 AS "equityBalance", p.anchor_date AS "anchorDate",
  to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

/** All SQL on `portfolios`; their lots are PositionRepository's. */
export class PortfolioRepository {
  constructor(private readonly db: Db) {}

  /** The portfolio and all its positions in one transaction: either everything is written or nothing. */
  async createWithPositions(input: {
    userId: string;
    name: string;
    description?: string | null;
    accountName: string;
    accountType: AccountType;
    equityBalance: string | number;
    positions: readonly NewPosition[];
  }): Promise<PortfolioRow> {
    try {
      return await this.db.transaction(async (tx) => {
        const [portfolio] = await tx
          .insert(portfolios)
          .values({
            userId: input.userId,
            name: input.name,
            description: input.description ?? null,
            accountName: input.accountName,
            accountType: input.accountType,
            equityBalance: String(input.equityBalance),
          })
          .returning(PORTFOLIO_COLUMNS);
        await new PositionRepository(tx).insertPositions(portfolio!.id, input.positions);
        return toPortfolioRow(portfolio!);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateAccountNameError(input.accountName);
      throw error;
    }
  }

  async get(id: string, userId?: string): Promise<PortfolioRow | null> {
    const [row] = await this.db
      .select(PORTFOLIO_COLUMNS)
      .from(portfolios)
      .where(
        and(
          eq(portfolios.id, id),
          isNull(portfolios.deletedAt),
          userId ? eq(portfolios.userId, userId) : undefined,
        ),
      );
    return row ? toPortfolioRow(row) : null;
  }

  /**
   * The user's live portfolios (or just `portfolioId`) with their summary figures, oldest first.
   * One query: the latest snapshot per portfolio through a lateral join on its unique
   * (portfolio_id, snapshot_date) index.
   */
  async listSummaries(
    userId: string,
    today: string,
    portfolioId?: string,
  ): Promise<PortfolioSummaryRow[]> {
    return queryRows<PortfolioSummaryRow>(
      this.db,
      sql`SELECT ${PORTFOLIO_COLUMNS_OF_P},
            (SELECT count(*)::int FROM positions pos
              WHERE pos.portfolio_id = p.id AND pos.deleted_at IS NULL
                AND (pos.exit_date IS NULL OR pos.exit_date > ${today}::date)
                AND (pos.expiration_date IS NULL OR pos.expiration_date >= ${today}::date))
              AS "openPositionCount",
            (SELECT sum(pos.market_value)::float8 FROM positions pos
              WHERE pos.portfolio_id = p.id AND pos.deleted_at IS NULL) AS "positionsMarketValue",
            s.snapshot_date AS "latestSnapshotDate",
            s.net_asset_value::float8 AS "latestNetAssetValue",
            s.net_exposure::float8 AS "latestNetExposure"
          FROM portfolios p
          LEFT JOIN LATERAL (
            SELECT snapshot_date, net_asset_value, net_exposure FROM portfolio_snapshots
            WHERE portfolio_id = p.id ORDER BY snapshot_date DESC LIMIT 1) s ON true
          WHERE p.user_id = ${userId} AND p.deleted_at IS NULL
            ${portfolioId ? sql`AND p.id = ${portfolioId}` : sql``}
          ORDER BY p.created_at, p.id`,
    );
  }

  /** The user's live portfolios with one of these account names: id and account name. */
  async liveWithAccountNames(
    userId: string,
    accountNames: readonly string[],
  ): Promise<{ id: string; accountName: string; name: string }[]> {
    return this.db
      .select({ id: portfolios.id, accountName: portfolios.accountName, name: portfolios.name })
      .from(portfolios)
      .where(
        and(
          eq(portfolios.userId, userId),
          isNull(portfolios.deletedAt),
          anyOf(portfolios.accountName, accountNames, 'text'),
        ),
      )
      .orderBy(portfolios.createdAt, portfolios.id);
  }

  /** Whether the user has a live portfolio with this account name (other than `exceptId`). */
  async accountNameTaken(userId: string, accountName: string, exceptId?: string): Promise<boolean> {
    const rows = await this.db
      .select({ id: portfolios.id })
      .from(portfolios)
      .where(
        and(
          eq(portfolios.userId, userId),
          eq(portfolios.accountName, accountName),
          isNull(portfolios.deletedAt),
          exceptId ? ne(portfolios.id, exceptId) : undefined,
        ),
      )
      .limit(1);
    return rows.length > 0;
  }

  /** Changes the given fields of a live portfolio of the user; null when there is none. */
  async update(id: string, userId: string, patch: PortfolioPatch): Promise<PortfolioRow | null> {
    try {
      const [row] = await this.db
        .update(portfolios)
        .set({
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.description === undefined ? {} : { description: patch.description }),
          ...(patch.accountName === undefined ? {} : { accountName: patch.accountName }),
          ...(patch.accountType === undefined ? {} : { accountType: patch.accountType }),
          ...(patch.equityBalance === undefined ? {} : { equityBalance: patch.equityBalance }),
          updatedAt: sql`now()`,
        })
        .where(
          and(eq(portfolios.id, id), eq(portfolios.userId, userId), isNull(portfolios.deletedAt)),
        )
        .returning(PORTFOLIO_COLUMNS);
      return row ? toPortfolioRow(row) : null;
    } catch (error) {
      if (isUniqueViolation(error) && patch.accountName !== undefined) {
        throw new DuplicateAccountNameError(patch.accountName);
      }
      throw error;
    }
  }

  /**
   * Soft delete: the row stays (its history is kept) but every read, the nightly jobs and the
   * account-name uniqueness ignore it from now on. False when there was no live portfolio.
   */
  async softDelete(id: string, userId: string): Promise<boolean> {
    const rows = await this.db
      .update(portfolios)
      .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(eq(portfolios.id, id), eq(portfolios.userId, userId), isNull(portfolios.deletedAt)),
      )
      .returning({ id: portfolios.id });
    return rows.length > 0;
  }

  async setAnchorDate(id: string, anchorDate: string): Promise<void> {
    await this.db
      .update(portfolios)
      .set({ anchorDate, updatedAt: sql`now()` })
      .where(eq(portfolios.id, id));
  }

  /** Asks for another calculation after the live one (a change arrived while it ran). */
  async requestRecalculation(id: string): Promise<void> {
    await this.db
      .update(portfolios)
      .set({ recalculationRequestedAt: sql`now()` })
      .where(eq(portfolios.id, id));
  }

  /** Clears a pending request and says whether there was one (one taker only). */
  async takeRecalculationRequest(id: string): Promise<boolean> {
    const rows = await this.db
      .update(portfolios)
      .set({ recalculationRequestedAt: null })
      .where(
        and(
          eq(portfolios.id, id),
          isNotNull(portfolios.recalculationRequestedAt),
          isNull(portfolios.deletedAt),
        ),
      )
      .returning({ id: portfolios.id });
    return rows.length > 0;
  }

  /** Anchor and stated balance of each live portfolio among `portfolioIds` (deleted ones are absent). */
  async anchorsOf(portfolioIds: readonly string[]): Promise<Map<string, RefreshAnchor>> {
    const rows = await this.db
      .select({
        id: portfolios.id,
        anchorDate: portfolios.anchorDate,
        equityBalance: portfolios.equityBalance,
      })
      .from(portfolios)
      .where(and(anyOf(portfolios.id, portfolioIds, 'uuid'), isNull(portfolios.deletedAt)));
    return new Map(rows.map((r) => [r.id, withNumbers(r, ['equityBalance'])]));
  }

  /** Portfolios (live) without a complete snapshot for `date` — the refresh's work list. */
  async portfoliosMissingCompleteSnapshot(date: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`SELECT p.id FROM portfolios p
          WHERE p.deleted_at IS NULL AND NOT EXISTS (
            SELECT 1 FROM portfolio_snapshots s
            WHERE s.portfolio_id = p.id AND s.snapshot_date = ${date} AND s.is_complete)
          ORDER BY p.created_at, p.id`,
    );
    return rows.map((r) => r.id);
  }
}
