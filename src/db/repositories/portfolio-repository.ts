import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { isUniqueViolation } from '../db-errors.ts';
import type { AccountType, InvestmentClass, OptionType, PositionType } from '../schema/enums.ts';

export interface NewPosition {
  symbol: string;
  positionType: PositionType;
  /** Exact decimal text (CSV) or a number. */
  quantity: string | number;
  entryPrice: string | number;
  entryDate: string;
  exitDate: string | null;
  exitPrice: string | number | null;
  investmentClass: InvestmentClass;
  investmentSubtype: string | null;
  underlyingSymbol: string | null;
  strikePrice: string | number | null;
  expirationDate: string | null;
  optionType: OptionType | null;
}

export interface PortfolioRow {
  id: string;
  userId: string;
  name: string;
  description: string | null;
  accountName: string;
  accountType: AccountType;
  currency: string;
  equityBalance: number;
  anchorDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface PositionRow {
  id: string;
  portfolioId: string;
  symbol: string;
  positionType: PositionType;
  quantity: number;
  entryPrice: number;
  entryDate: string;
  exitDate: string | null;
  exitPrice: number | null;
  investmentClass: InvestmentClass;
  investmentSubtype: string | null;
  underlyingSymbol: string | null;
  strikePrice: number | null;
  expirationDate: string | null;
  optionType: OptionType | null;
  lastPrice: number | null;
  marketValue: number | null;
  unrealizedPnl: number | null;
  notes: string | null;
  splitFromPositionId: string | null;
}

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

export class DuplicateAccountNameError extends Error {
  constructor(readonly accountName: string) {
    super(`You already have a portfolio with the account name "${accountName}"`);
    this.name = 'DuplicateAccountNameError';
  }
}

const PORTFOLIO_COLUMNS = sql`id, user_id AS "userId", name, description, account_name AS "accountName",
  account_type AS "accountType", currency, equity_balance::float8 AS "equityBalance",
  anchor_date AS "anchorDate",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

const PORTFOLIO_COLUMNS_OF_P = sql`p.id, p.user_id AS "userId", p.name, p.description,
  p.account_name AS "accountName", p.account_type AS "accountType", p.currency,
  p.equity_balance::float8 AS "equityBalance", p.anchor_date AS "anchorDate",
  to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

export const POSITION_COLUMNS = sql`id, portfolio_id AS "portfolioId", symbol, position_type AS "positionType",
  quantity::float8 AS quantity, entry_price::float8 AS "entryPrice", entry_date AS "entryDate",
  exit_date AS "exitDate", exit_price::float8 AS "exitPrice", investment_class AS "investmentClass",
  investment_subtype AS "investmentSubtype", underlying_symbol AS "underlyingSymbol",
  strike_price::float8 AS "strikePrice", expiration_date AS "expirationDate", option_type AS "optionType",
  last_price::float8 AS "lastPrice", market_value::float8 AS "marketValue",
  unrealized_pnl::float8 AS "unrealizedPnl", notes, split_from_position_id AS "splitFromPositionId"`;

const text = (v: string | number | null) => (v === null ? null : String(v));

/** All SQL on `portfolios` and their `positions`. */
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
        const [portfolio] = await queryRows<PortfolioRow>(
          tx,
          sql`INSERT INTO portfolios (user_id, name, description, account_name, account_type, equity_balance)
              VALUES (${input.userId}, ${input.name}, ${input.description ?? null}, ${input.accountName},
                ${input.accountType}, ${String(input.equityBalance)}::numeric)
              RETURNING ${PORTFOLIO_COLUMNS}`,
        );
        await new PortfolioRepository(tx).insertPositions(portfolio!.id, input.positions);
        return portfolio!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateAccountNameError(input.accountName);
      throw error;
    }
  }

  async insertPositions(portfolioId: string, positions: readonly NewPosition[]): Promise<void> {
    if (positions.length === 0) return;
    const col = <K extends keyof NewPosition>(k: K) =>
      sql.param(positions.map((p) => text(p[k] as string | number | null)));
    await this.db.execute(sql`
      INSERT INTO positions (portfolio_id, symbol, position_type, quantity, entry_price, entry_date,
        exit_date, exit_price, investment_class, investment_subtype, underlying_symbol, strike_price,
        expiration_date, option_type)
      SELECT ${portfolioId}::uuid, * FROM unnest(${col('symbol')}::text[], ${col('positionType')}::text[],
        ${col('quantity')}::numeric[], ${col('entryPrice')}::numeric[], ${col('entryDate')}::date[],
        ${col('exitDate')}::date[], ${col('exitPrice')}::numeric[], ${col('investmentClass')}::text[],
        ${col('investmentSubtype')}::text[], ${col('underlyingSymbol')}::text[],
        ${col('strikePrice')}::numeric[], ${col('expirationDate')}::date[], ${col('optionType')}::text[])`);
  }

  async get(id: string, userId?: string): Promise<PortfolioRow | null> {
    const rows = await queryRows<PortfolioRow>(
      this.db,
      sql`SELECT ${PORTFOLIO_COLUMNS} FROM portfolios WHERE id = ${id} AND deleted_at IS NULL
          ${userId ? sql`AND user_id = ${userId}` : sql``}`,
    );
    return rows[0] ?? null;
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
    return queryRows(
      this.db,
      sql`SELECT id, account_name AS "accountName", name FROM portfolios
          WHERE user_id = ${userId} AND deleted_at IS NULL
            AND account_name = ANY(${sql.param([...accountNames])}::text[])
          ORDER BY created_at, id`,
    );
  }

  /** Whether the user has a live portfolio with this account name (other than `exceptId`). */
  async accountNameTaken(userId: string, accountName: string, exceptId?: string): Promise<boolean> {
    const rows = await queryRows<{ taken: boolean }>(
      this.db,
      sql`SELECT EXISTS (SELECT 1 FROM portfolios WHERE user_id = ${userId}
            AND account_name = ${accountName} AND deleted_at IS NULL
            ${exceptId ? sql`AND id <> ${exceptId}` : sql``}) AS taken`,
    );
    return rows[0]?.taken ?? false;
  }

  /** Changes the given fields of a live portfolio of the user; null when there is none. */
  async update(id: string, userId: string, patch: PortfolioPatch): Promise<PortfolioRow | null> {
    const sets = [
      patch.name === undefined ? null : sql`name = ${patch.name}`,
      patch.description === undefined ? null : sql`description = ${patch.description}`,
      patch.accountName === undefined ? null : sql`account_name = ${patch.accountName}`,
      patch.accountType === undefined ? null : sql`account_type = ${patch.accountType}`,
      patch.equityBalance === undefined
        ? null
        : sql`equity_balance = ${patch.equityBalance}::numeric`,
    ].filter((s) => s !== null);
    try {
      const rows = await queryRows<PortfolioRow>(
        this.db,
        sql`UPDATE portfolios SET ${sql.join([...sets, sql`updated_at = now()`], sql`, `)}
            WHERE id = ${id} AND user_id = ${userId} AND deleted_at IS NULL
            RETURNING ${PORTFOLIO_COLUMNS}`,
      );
      return rows[0] ?? null;
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
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`UPDATE portfolios SET deleted_at = now(), updated_at = now()
          WHERE id = ${id} AND user_id = ${userId} AND deleted_at IS NULL RETURNING id`,
    );
    return rows.length > 0;
  }

  async listIds(): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`SELECT id FROM portfolios WHERE deleted_at IS NULL ORDER BY created_at, id`,
    );
    return rows.map((r) => r.id);
  }

  async setAnchorDate(id: string, anchorDate: string): Promise<void> {
    await this.db.execute(
      sql`UPDATE portfolios SET anchor_date = ${anchorDate}, updated_at = now() WHERE id = ${id}`,
    );
  }

  /** Asks for another calculation after the live one (a change arrived while it ran). */
  async requestRecalculation(id: string): Promise<void> {
    await this.db.execute(
      sql`UPDATE portfolios SET recalculation_requested_at = now() WHERE id = ${id}`,
    );
  }

  /** Clears a pending request and says whether there was one (one taker only). */
  async takeRecalculationRequest(id: string): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`UPDATE portfolios SET recalculation_requested_at = NULL
          WHERE id = ${id} AND recalculation_requested_at IS NOT NULL AND deleted_at IS NULL
          RETURNING id`,
    );
    return rows.length > 0;
  }

  async listPositions(portfolioId: string): Promise<PositionRow[]> {
    return queryRows<PositionRow>(
      this.db,
      sql`SELECT ${POSITION_COLUMNS} FROM positions WHERE portfolio_id = ${portfolioId}
          AND deleted_at IS NULL ORDER BY entry_date, symbol, id`,
    );
  }

  /** Positions of many portfolios at once (the nightly refresh loads them in one query). */
  async listPositionsOf(portfolioIds: readonly string[]): Promise<Map<string, PositionRow[]>> {
    const rows = await queryRows<PositionRow>(
      this.db,
      sql`SELECT ${POSITION_COLUMNS} FROM positions
          WHERE portfolio_id = ANY(${sql.param([...portfolioIds])}::uuid[]) AND deleted_at IS NULL
          ORDER BY portfolio_id, entry_date, symbol, id`,
    );
    const out = new Map<string, PositionRow[]>(portfolioIds.map((id) => [id, []]));
    for (const r of rows) out.get(r.portfolioId)!.push(r);
    return out;
  }

  async updateValuations(
    rows: readonly {
      id: string;
      lastPrice: number | null;
      marketValue: number | null;
      unrealizedPnl: number | null;
    }[],
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.db.execute(sql`
      UPDATE positions p SET last_price = v.lp, market_value = v.mv, unrealized_pnl = v.upnl, updated_at = now()
      FROM unnest(${sql.param(rows.map((r) => r.id))}::uuid[], ${sql.param(rows.map((r) => r.lastPrice))}::float8[],
        ${sql.param(rows.map((r) => r.marketValue))}::float8[], ${sql.param(rows.map((r) => r.unrealizedPnl))}::float8[])
        AS v(id, lp, mv, upnl)
      WHERE p.id = v.id`);
  }
}
