/**
 * Greeks of individual option positions, derived on read: phase 4 stores only the option book's
 * totals in the snapshot, so a position's Greeks are recomputed here with the same model and
 * inputs (Black–Scholes on the underlying's last close, its 63-day realized volatility, that
 * day's 3-month bill rate) as of the portfolio's latest calculation date.
 */
import { addDays, type IsoDate } from '../../domain/dates.ts';
import {
  modelOptionValue,
  realizedVolatilityFromCloses,
} from '../../domain/options/option-pricing.ts';
import type { Db } from '../../db/database.ts';
import { billRatesOnSessions, MAX_QUOTE_CARRY_DAYS } from '../../domain/rates/risk-free-rate.ts';
import { MarketDataRepository } from '../../db/repositories/market-data-repository.ts';
import { TreasuryBillRateRepository } from '../../db/repositories/treasury-bill-rate-repository.ts';
import type { PositionRow } from '../../db/repositories/position-repository.ts';
import { optionTermsOf } from '../../domain/positions/option-terms.ts';
import type { PositionGreeks } from './schemas.ts';

/** 63 daily returns need 64 sessions, about 90 calendar days; a margin covers holidays and gaps. */
const CLOSE_LOOKBACK_DAYS = 140;
/** An underlying close older than this is too stale to model today's option on. */
const MAX_CLOSE_AGE_DAYS = 10;
const CONTRACT_MULTIPLIER = 100;

/**
 * Greeks by position id for the option positions open on `asOf` whose underlying has a recent
 * close; options without one (or expired, or closed) are absent.
 */
export async function optionPositionGreeks(
  db: Db,
  positions: readonly PositionRow[],
  asOf: IsoDate,
): Promise<Map<string, PositionGreeks>> {
  const open = positions
    .map((p) => ({ p, terms: optionTermsOf(p) }))
    .filter(
      ({ p, terms }) =>
        terms !== null &&
        p.entryDate <= asOf &&
        (p.exitDate === null || p.exitDate > asOf) &&
        terms.expiration > asOf,
    );
  const out = new Map<string, PositionGreeks>();
  if (open.length === 0) return out;
  const underlyings = [...new Set(open.map(({ terms }) => terms!.underlying))];
  const [series, quotes] = await Promise.all([
    new MarketDataRepository(db).getCloseSeriesMany(
      underlyings,
      addDays(asOf, -CLOSE_LOOKBACK_DAYS),
      asOf,
    ),
    new TreasuryBillRateRepository(db).between(addDays(asOf, -MAX_QUOTE_CARRY_DAYS), asOf),
  ]);
  for (const { p, terms } of open) {
    const t = terms!;
    const s = series.get(t.underlying);
    const last = s ? s.dates.length - 1 : -1;
    if (!s || last < 0 || s.dates[last]! < addDays(asOf, -MAX_CLOSE_AGE_DAYS)) continue;
    const underlyingPrice = s.closes[last]!;
    const closeDate = s.dates[last]!;
    if (!(underlyingPrice > 0) || !(t.strike > 0)) continue;
    // Time to expiry counts from the close the model prices on, as phase 4 does.
    const model = modelOptionValue(
      { kind: t.kind, strike: t.strike, expiration: t.expiration },
      {
        date: closeDate,
        underlyingPrice,
        volatility: realizedVolatilityFromCloses(s.closes, last, 63),
        rate: billRatesOnSessions([closeDate], quotes)[0] ?? null,
      },
    );
    const size = p.quantity * CONTRACT_MULTIPLIER;
    out.set(p.id, {
      delta: model.delta * size,
      gamma: model.gamma * size,
      theta: model.theta * size,
      vega: model.vega * size,
      underlying_price: underlyingPrice,
      volatility: model.volatilityUsed,
      risk_free_rate: model.rateUsed,
      as_of: closeDate,
    });
  }
  return out;
}
