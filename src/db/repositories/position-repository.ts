import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../database.ts';
import { POSITION_COLUMNS, type NewPosition, type PositionRow } from './portfolio-repository.ts';

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

const text = (v: string | number | null | undefined) =>
  v === null || v === undefined ? null : String(v);

export interface UniversePositionSymbol {
  symbol: string;
  investmentClass: string;
  underlyingSymbol: string | null;
  expirationDate: string | null;
}

/** SQL on `positions`: the universe's symbols and the management of single lots. */
export class PositionRepository {
  constructor(private readonly db: Db) {}

  /**
   * Distinct symbols of live positions in live portfolios that are still open on `date` —
   * the position part of the nightly symbol universe.
   */
  async symbolsOfActivePositions(date: string): Promise<UniversePositionSymbol[]> {
    return queryRows(
      this.db,
      sql`SELECT DISTINCT p.symbol, p.investment_class AS "investmentClass",
            p.underlying_symbol AS "underlyingSymbol", p.expiration_date AS "expirationDate"
          FROM positions p JOIN portfolios f ON f.id = p.portfolio_id
          WHERE p.deleted_at IS NULL AND f.deleted_at IS NULL
            AND p.entry_date <= ${date}::date
            AND (p.exit_date IS NULL OR p.exit_date > ${date}::date)`,
    );
  }

  /** A live lot of a live portfolio the user owns; null for anyone else's (a 404, not a 403). */
  async getOwned(positionId: string, userId: string): Promise<PositionRow | null> {
    const [row] = await queryRows<PositionRow>(
      this.db,
      sql`SELECT ${POSITION_COLUMNS} FROM positions
          WHERE id = ${positionId} AND deleted_at IS NULL
            AND portfolio_id IN (SELECT id FROM portfolios
                                 WHERE user_id = ${userId} AND deleted_at IS NULL)`,
    );
    return row ?? null;
  }

  /** `SYMBOL|YYYY-MM-DD` of every live lot of a portfolio (duplicates are ERR_POS_023). */
  async liveKeys(portfolioId: string, exceptId?: string): Promise<Set<string>> {
    const rows = await queryRows<{ k: string }>(
      this.db,
      sql`SELECT symbol || '|' || entry_date::text AS k FROM positions
          WHERE portfolio_id = ${portfolioId} AND deleted_at IS NULL
            AND (${exceptId ?? null}::uuid IS NULL OR id <> ${exceptId ?? null}::uuid)`,
    );
    return new Set(rows.map((r) => r.k));
  }

  /** Inserts lots and returns them as stored, in the order given. */
  async insertLots(portfolioId: string, lots: readonly NewLot[]): Promise<PositionRow[]> {
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
    return this.byIds(ids.map((r) => r.id));
  }

  async byIds(ids: readonly string[]): Promise<PositionRow[]> {
    if (ids.length === 0) return [];
    const rows = await queryRows<PositionRow>(
      this.db,
      sql`SELECT ${POSITION_COLUMNS} FROM positions WHERE id = ANY(${sql.param([...ids])}::uuid[])`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)!);
  }

  /** Applies a correction; the lot's stored marks are cleared (the next calculation sets them). */
  async update(positionId: string, patch: LotPatch): Promise<PositionRow> {
    await this.db.execute(sql`
      UPDATE positions SET
        quantity = coalesce(${text(patch.quantity)}::numeric, quantity),
        position_type = coalesce(${patch.positionType ?? null}::text, position_type),
        entry_price = coalesce(${text(patch.entryPrice)}::numeric, entry_price),
        entry_date = coalesce(${patch.entryDate ?? null}::date, entry_date),
        notes = CASE WHEN ${patch.notes !== undefined} THEN ${patch.notes ?? null}::text ELSE notes END,
        last_price = NULL, market_value = NULL, unrealized_pnl = NULL, updated_at = now()
      WHERE id = ${positionId}`);
    return (await this.byIds([positionId]))[0]!;
  }

  /** Sells the whole lot: it keeps its row, now with an exit. */
  async close(positionId: string, exitDate: string, exitPrice: string): Promise<PositionRow> {
    await this.db.execute(sql`
      UPDATE positions SET exit_date = ${exitDate}::date, exit_price = ${exitPrice}::numeric,
        unrealized_pnl = 0, updated_at = now()
      WHERE id = ${positionId}`);
    return (await this.byIds([positionId]))[0]!;
  }

  /** A removal of a lot entered in error: it leaves history as if it never was. */
  async softDelete(positionId: string): Promise<void> {
    await this.db.execute(
      sql`UPDATE positions SET deleted_at = now(), updated_at = now() WHERE id = ${positionId}`,
    );
  }

  /** Whether another open live lot of the portfolio has this symbol and entry date. */
  async openLotExists(
    portfolioId: string,
    symbol: string,
    entryDate: string,
    exceptId: string,
  ): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      this.db,
      sql`SELECT id FROM positions
          WHERE portfolio_id = ${portfolioId} AND symbol = ${symbol} AND entry_date = ${entryDate}
            AND deleted_at IS NULL AND exit_date IS NULL AND id <> ${exceptId} LIMIT 1`,
    );
    return rows.length > 0;
  }
}
