import { tradingSessionsBetween } from '../../domain/calendar/index.ts';
import { addDays, type IsoDate } from '../../domain/dates.ts';
import {
  modelOptionValue,
  realizedVolatilityFromCloses,
} from '../../domain/options/option-pricing.ts';
import type { OptionValuation } from '../../domain/options/black-scholes.ts';
import type { PnlPosition } from '../../domain/pnl/types.ts';
import { optionTermsOf } from '../../domain/positions/option-terms.ts';
import type { PositionRow } from '../../db/repositories/position-repository.ts';

export { MAX_HISTORY_YEARS } from '../../domain/pnl/history-start.ts';

export function toPnlPosition(p: PositionRow): PnlPosition {
  const terms = optionTermsOf(p);
  return {
    id: p.id,
    symbol: p.symbol,
    investmentClass: p.investmentClass,
    quantity: p.quantity,
    multiplier: p.investmentClass === 'OPTIONS' ? 100 : 1,
    entryDate: p.entryDate,
    entryPrice: p.entryPrice,
    exitDate: p.exitDate,
    exitPrice: p.exitPrice,
    expirationDate: terms?.expiration ?? null,
  };
}

/** Symbols whose closes phase 4 needs: public positions and option underlyings (and contracts). */
export function priceSymbolsOf(positions: readonly PositionRow[]): string[] {
  const out = new Set<string>();
  for (const p of positions) {
    if (p.investmentClass === 'PRIVATE') continue;
    out.add(p.symbol);
    const terms = optionTermsOf(p);
    if (terms) out.add(terms.underlying);
  }
  return [...out];
}

export interface OptionDayModel {
  positionIndex: number;
  valuation: OptionValuation;
  source: 'provider' | 'black_scholes' | 'intrinsic_at_expiry';
  years: number;
  rate: number;
  volatility: number;
  /** True when no bill quote was known for the day and the 4% default stood in. */
  defaultRate: boolean;
}

/** Sessions of underlying history before a book's first session that option volatility needs. */
export const VOLATILITY_LEAD_SESSIONS = 64;
/**
 * Calendar days that hold VOLATILITY_LEAD_SESSIONS (at most ~10 holidays a year): how far
 * before a book's first day its symbols' closes are fetched and read.
 */
export const HISTORY_LEAD_DAYS = 100;

/**
 * The sessions to read option underlyings' closes over: VOLATILITY_LEAD_SESSIONS before the
 * book's first session, then the book's own, so a contract's 63-day volatility on the book's
 * first day comes from the underlying's own closes (SPEC §5: one contract, one mark, whatever
 * the portfolio's age).
 */
export function volatilitySessions(sessions: readonly IsoDate[]): {
  sessions: IsoDate[];
  offset: number;
} {
  const first = sessions[0];
  if (first === undefined) return { sessions: [], offset: 0 };
  const lead = tradingSessionsBetween(addDays(first, -HISTORY_LEAD_DAYS), first)
    .filter((d) => d < first)
    .slice(-VOLATILITY_LEAD_SESSIONS);
  return { sessions: [...lead, ...sessions], offset: lead.length };
}

/**
 * Price source for the P&L engine: stock closes as stored; options at the provider's close when
 * there is one, else Black–Scholes on the underlying (SPEC §5), intrinsic on the expiry session.
 */
export function makePriceSource(input: {
  sessions: readonly IsoDate[];
  positions: readonly PositionRow[];
  closes: Map<string, Float64Array>;
  /** Each session's bill rate (decimal), null where unknown (the 4% default then). */
  riskFreeRates: readonly (number | null)[];
  /**
   * Underlyings' closes reaching `offset` sessions before `sessions[0]` (session s is index
   * s + offset), so volatility does not depend on where the book's history starts.
   */
  volatilityCloses?: { closes: Map<string, Float64Array>; offset: number };
}): {
  priceOf(i: number, s: number): number;
  optionModel(i: number, s: number): OptionDayModel | null;
} {
  const terms = input.positions.map(optionTermsOf);
  const volCache = new Map<string, (number | null)[]>();
  const volatilityOf = (symbol: string, s: number): number | null => {
    let row = volCache.get(symbol);
    if (!row) volCache.set(symbol, (row = new Array(input.sessions.length)));
    if (row[s] === undefined) {
      const lead = input.volatilityCloses;
      const extended = lead?.closes.get(symbol);
      const closes = extended ?? input.closes.get(symbol);
      const at = extended ? s + lead!.offset : s;
      row[s] = closes ? realizedVolatilityFromCloses(closes, at, 63) : null;
    }
    return row[s]!;
  };
  const optionModel = (i: number, s: number): OptionDayModel | null => {
    const t = terms[i];
    if (!t) return null;
    const underlying = input.closes.get(t.underlying)?.[s];
    if (underlying === undefined || !Number.isFinite(underlying)) return null;
    const date = input.sessions[s]!;
    const rate = input.riskFreeRates[s] ?? null;
    const modelled = modelOptionValue(
      { kind: t.kind, strike: t.strike, expiration: t.expiration },
      {
        date,
        underlyingPrice: underlying,
        volatility: volatilityOf(t.underlying, s),
        rate,
      },
    );
    return {
      positionIndex: i,
      valuation: modelled,
      source: modelled.source,
      years: modelled.years,
      rate: modelled.rateUsed,
      volatility: modelled.volatilityUsed,
      defaultRate: rate === null,
    };
  };
  return {
    optionModel,
    priceOf(i, s) {
      const p = input.positions[i]!;
      const t = terms[i];
      if (!t) return input.closes.get(p.symbol)?.[s] ?? NaN;
      const date = input.sessions[s]!;
      if (date < t.expiration) {
        const quoted = input.closes.get(p.symbol)?.[s];
        if (quoted !== undefined && Number.isFinite(quoted)) return quoted;
      }
      return optionModel(i, s)?.valuation.price ?? NaN;
    },
  };
}
