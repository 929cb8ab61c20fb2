import { and, asc, eq, getTableColumns, gt, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import type { InvestmentClass, OptionType, PositionType } from '../schema/enums.ts';
import { portfolios, positions } from '../schema/index.ts';
import { anyOf, withNumbers, type WithNumbers } from './row-values.ts';

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

/** A lot to insert, with the user's notes and, for the sold part of a split, its origin. */
export interface NewLot extends NewPosition {
  notes: string | null;
  splitFromPositionId?: string | null;
}

/** The fields of a lot a user may correct (API.md: PUT /positions/{id}). */
export interface LotPatch {
  quantity?: string | number;
  positionType?: string;
  entryPrice?: string | number;
  entryDate?: string;
  notes?: string | null;
}

// Every column of a lot but its bookkeeping timestamps.
const {
  createdAt: _createdAt,
  updatedAt: _updatedAt,
  deletedAt: _deletedAt,
  ...LOT_COLUMNS
} = getTableColumns(positions);

const NUMERIC_COLUMNS = [
  'quantity',
  'entryPrice',
  'exitPrice',
  'strikePrice',
  'lastPrice',
  'marketValue',
  'unrealizedPnl',
] as const;

/** A stored lot, its numeric columns as numbers. */
export type PositionRow = WithNumbers<
  Omit<typeof positions.$inferSelect, 'createdAt' | 'updatedAt' | 'deletedAt'>,
  (typeof NUMERIC_COLUMNS)[number]
>;

const toPositionRow = (
  row: Omit<typeof positions.$inferSelect, 'createdAt' | 'updatedAt' | 'deletedAt'>,
) => withNumbers(row, NUMERIC_COLUMNS);

const text = (v: string | number | null | undefined) =>
  v === null || v === undefined ? null : String(v);

export interface UniversePositionSymbol {
  symbol: string;
  investmentClass: string;
  underlyingSymbol: string | null;
  expirationDate: string | null;
}

/** All SQL on `positions`: the lots of the books, their marks, the universe's symbols. */
export class PositionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Distinct symbols of live positions in live portfolios that are still open on `date` —
   * the position part of the nightly symbol universe.
   */
  async symbolsOfActivePositions(date: string): Promise<UniversePositionSymbol[]> {
    return this.db
      .selectDistinct({
        symbol: positions.symbol,
        investmentClass: positions.investmentClass,
        underlyingSymbol: positions.underlyingSymbol,
        expirationDate: positions.expirationDate,
      })
      .from(positions)
      .innerJoin(portfolios, eq(portfolios.id, positions.portfolioId))
      .where(
        and(
          isNull(positions.deletedAt),
          isNull(portfolios.deletedAt),
          lte(positions.entryDate, date),
          or(isNull(positions.exitDate), gt(positions.exitDate, date)),
        ),
      );
  }

  /** A live lot of a live portfolio the user owns; null for anyone else's (a 404, not a 403). */
  async getOwned(positionId: string, userId: string): Promise<PositionRow | null> {
    const owned = this.db
      .select({ id: portfolios.id })
      .from(portfolios)
      .where(and(eq(portfolios.userId, userId), isNull(portfolios.deletedAt)));
    const [row] = await this.db
      .select(LOT_COLUMNS)
      .from(positions)
      .where(
        and(
          eq(positions.id, positionId),
          isNull(positions.deletedAt),
          inArray(positions.portfolioId, owned),
        ),
      );
    return row ? toPositionRow(row) : null;
  }

  /** `SYMBOL|YYYY-MM-DD` of every live lot of a portfolio (duplicates are ERR_POS_023). */
  async liveKeys(portfolioId: string, exceptId?: string): Promise<Set<string>> {
    const rows = await this.db
      .select({ symbol: positions.symbol, entryDate: positions.entryDate })
      .from(positions)
      .where(
        and(
          eq(positions.portfolioId, portfolioId),
          isNull(positions.deletedAt),
          exceptId === undefined ? undefined : ne(positions.id, exceptId),
        ),
      );
    return new Set(rows.map((r) => `${r.symbol}|${r.entryDate}`));
  }

  /** Inserts a new book's positions (one statement, whatever their number). */
  async insertPositions(portfolioId: string, lots: readonly NewPosition[]): Promise<void> {
    await this.insertRows(
      portfolioId,
      lots.map((p) => ({ ...p, notes: null })),
    );
  }

  /** Inserts lots and returns them as stored, in the order given. */
  async insertLots(portfolioId: string, lots: readonly NewLot[]): Promise<PositionRow[]> {
    return this.byIds(await this.insertRows(portfolioId, lots));
  }

  private async insertRows(portfolioId: string, lots: readonly NewLot[]): Promise<string[]> {
    if (lots.length === 0) return [];
    const col = <K extends keyof NewLot>(k: K) =>
      sql.param(lots.map((p) => text(p[k] as string | number | null | undefined)));
    const ids = await queryRows<{ id: string }>(
      this.db,
      sql`INSERT INTO positions (portfolio_id, symbol, position_type, quantity, entry_price,
            entry_date, exit_date, exit_price, investment_class, investment_subtype,
            underlying_symbol, strike_price, expiration_date, option_type, notes,
            split_from_position_id)
          SELECT ${portfolioId}::uuid, * FROM unnest(${col('symbol')}::text[],
            ${col('positionType')}::text[], ${col('quantity')}::numeric[],
            ${col('entryPrice')}::numeric[], ${col('entryDate')}::date[], ${col('exitDate')}::date[],
            ${col('exitPrice')}::numeric[], ${col('investmentClass')}::text[],
            ${col('investmentSubtype')}::text[], ${col('underlyingSymbol')}::text[],
            ${col('strikePrice')}::numeric[], ${col('expirationDate')}::date[],
            ${col('optionType')}::text[], ${col('notes')}::text[],
            ${col('splitFromPositionId')}::uuid[])
          RETURNING id`,
    );
    return ids.map((r) => r.id);
  }

  async byIds(ids: readonly string[]): Promise<PositionRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select(LOT_COLUMNS)
      .from(positions)
      .where(anyOf(positions.id, ids, 'uuid'));
    const byId = new Map(rows.map((r) => [r.id, toPositionRow(r)]));
    return ids.map((id) => byId.get(id)!);
  }

  /** Live positions of a portfolio by entry date, symbol. */
  async listPositions(portfolioId: string): Promise<PositionRow[]> {
    const rows = await this.db
      .select(LOT_COLUMNS)
      .from(positions)
      .where(and(eq(positions.portfolioId, portfolioId), isNull(positions.deletedAt)))
      .orderBy(asc(positions.entryDate), asc(positions.symbol), asc(positions.id));
    return rows.map(toPositionRow);
  }

  /** Positions of many portfolios at once (the nightly refresh loads them in one query). */
  async listPositionsOf(portfolioIds: readonly string[]): Promise<Map<string, PositionRow[]>> {
    const rows = await this.db
      .select(LOT_COLUMNS)
      .from(positions)
      .where(and(anyOf(positions.portfolioId, portfolioIds, 'uuid'), isNull(positions.deletedAt)))
      .orderBy(
        asc(positions.portfolioId),
        asc(positions.entryDate),
        asc(positions.symbol),
        asc(positions.id),
      );
    const out = new Map<string, PositionRow[]>(portfolioIds.map((id) => [id, []]));
    for (const r of rows) out.get(r.portfolioId)!.push(toPositionRow(r));
    return out;
  }

  /** Applies a correction; the lot's stored marks are cleared (the next calculation sets them). */
  async update(positionId: string, patch: LotPatch): Promise<PositionRow> {
    await this.db
      .update(positions)
      .set({
        ...(text(patch.quantity) === null ? {} : { quantity: text(patch.quantity)! }),
        ...(patch.positionType == null ? {} : { positionType: patch.positionType as PositionType }),
        ...(text(patch.entryPrice) === null ? {} : { entryPrice: text(patch.entryPrice)! }),
        ...(patch.entryDate == null ? {} : { entryDate: patch.entryDate }),
        ...(patch.notes === undefined ? {} : { notes: patch.notes }),
        lastPrice: null,
        marketValue: null,
        unrealizedPnl: null,
        updatedAt: sql`now()`,
      })
      .where(eq(positions.id, positionId));
    return (await this.byIds([positionId]))[0]!;
  }

  /** Sells the whole lot: it keeps its row, now with an exit. */
  async close(positionId: string, exitDate: string, exitPrice: string): Promise<PositionRow> {
    await this.db
      .update(positions)
      .set({ exitDate, exitPrice, unrealizedPnl: '0', updatedAt: sql`now()` })
      .where(eq(positions.id, positionId));
    return (await this.byIds([positionId]))[0]!;
  }

  /** A removal of a lot entered in error: it leaves history as if it never was. */
  async softDelete(positionId: string): Promise<void> {
    await this.db
      .update(positions)
      .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(positions.id, positionId));
  }

  /** Whether another open live lot of the portfolio has this symbol and entry date. */
  async openLotExists(
    portfolioId: string,
    symbol: string,
    entryDate: string,
    exceptId: string,
  ): Promise<boolean> {
    const rows = await this.db
      .select({ id: positions.id })
      .from(positions)
      .where(
        and(
          eq(positions.portfolioId, portfolioId),
          eq(positions.symbol, symbol),
          eq(positions.entryDate, entryDate),
          isNull(positions.deletedAt),
          isNull(positions.exitDate),
          ne(positions.id, exceptId),
        ),
      )
      .limit(1);
    return rows.length > 0;
  }

  /** The marks the refresh computed, in one statement. */
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
