import type { PositionRow } from '../../db/repositories/position-repository.ts';
import { cents } from '../../domain/money.ts';

const multiplierOf = (p: PositionRow) => (p.investmentClass === 'OPTIONS' ? 100 : 1);

/**
 * A lot as the management routes answer it. `realized_pnl` is (exit − entry) × quantity ×
 * multiplier for a sold lot (SPEC §4: reported, never added to equity again), null while open.
 */
export function lotBody(p: PositionRow) {
  return {
    id: p.id,
    portfolio_id: p.portfolioId,
    symbol: p.symbol,
    position_type: p.positionType,
    investment_class: p.investmentClass,
    investment_subtype: p.investmentSubtype,
    quantity: p.quantity,
    entry_price: p.entryPrice,
    entry_date: p.entryDate,
    exit_date: p.exitDate,
    exit_price: p.exitPrice,
    underlying_symbol: p.underlyingSymbol,
    strike_price: p.strikePrice,
    expiration_date: p.expirationDate,
    option_type: p.optionType,
    notes: p.notes,
    split_from_position_id: p.splitFromPositionId,
    is_open: p.exitDate === null,
    realized_pnl:
      p.exitDate !== null && p.exitPrice !== null
        ? cents((p.exitPrice - p.entryPrice) * p.quantity * multiplierOf(p))
        : null,
  };
}

export type LotBody = ReturnType<typeof lotBody>;

/** The state of a lot as the audit trail records it (what a person would want to see changed). */
export function lotSnapshot(p: PositionRow) {
  return {
    symbol: p.symbol,
    quantity: p.quantity,
    entry_price: p.entryPrice,
    entry_date: p.entryDate,
    exit_date: p.exitDate,
    exit_price: p.exitPrice,
    notes: p.notes,
  };
}
