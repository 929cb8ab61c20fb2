/**
 * `GET /data/positions/details`: the lots of a portfolio held on its calculation date (closed and
 * expired ones too when asked) with their latest mark, company profile and, for open options,
 * Greeks. Open or closed is judged at the calculation date, never at the wall clock, so the
 * marks, the Greeks and the snapshot they add up to all describe the same day.
 */
import type { Db } from '../../db/database.ts';
import { CompanyProfileRepository } from '../../db/repositories/company-profile-repository.ts';
import { PositionRepository, type PositionRow } from '../../db/repositories/position-repository.ts';
import { SnapshotRepository } from '../../db/repositories/snapshot-repository.ts';
import { optionPositionGreeks } from './position-greeks.ts';
import type { PositionGreeks } from './schemas.ts';
import { cents } from '../../domain/money.ts';
import { optionTermsOf } from '../../domain/positions/option-terms.ts';

const multiplierOf = (p: PositionRow) => (p.investmentClass === 'OPTIONS' ? 100 : 1);

/** Closed on `asOf`: sold (exit date reached) or an option that expired (it settles at expiry). */
function isOpen(p: PositionRow, asOf: string): boolean {
  if (p.exitDate !== null && p.exitDate <= asOf) return false;
  const expiry = optionTermsOf(p)?.expiration ?? p.expirationDate;
  return expiry === null || expiry === undefined || expiry > asOf;
}

/** Null when nothing is known (no position priced yet), rather than a misleading 0. */
/** Sum of the known amounts, to the cent; null when none is known. */
const sumKnown = (values: readonly (number | null)[]): number | null =>
  values.some((v) => v !== null)
    ? cents(values.reduce<number>((total, v) => total + (v ?? 0), 0))
    : null;

export async function positionDetails(
  db: Db,
  portfolioId: string,
  today: string,
  options: { includeClosed?: boolean } = {},
) {
  const positions = await new PositionRepository(db).listPositions(portfolioId);
  // Options take the profile of their underlying: an OCC symbol has no company of its own.
  const profileSymbol = (p: PositionRow) => optionTermsOf(p)?.underlying ?? p.symbol;
  const profiles = await new CompanyProfileRepository(db).getSectors([
    ...new Set(positions.map(profileSymbol)),
  ]);
  const latest = (await new SnapshotRepository(db).latestDates([portfolioId])).get(portfolioId);
  // Marks are as of the last calculation; before one, Greeks are modelled on the latest closes.
  const asOf = latest?.date ?? today;
  const greeks = await optionPositionGreeks(db, positions, asOf);

  const listed = options.includeClosed ? positions : positions.filter((p) => isOpen(p, asOf));
  const rows = listed.map((p) => {
    const profile = profiles.get(profileSymbol(p));
    const costBasis = p.entryPrice * p.quantity * multiplierOf(p);
    const open = isOpen(p, asOf);
    const g: PositionGreeks | null = open ? (greeks.get(p.id) ?? null) : null;
    return {
      id: p.id,
      portfolio_id: p.portfolioId,
      symbol: p.symbol,
      company_name: profile?.name ?? null,
      sector: profile?.sector ?? null,
      industry: profile?.industry ?? null,
      position_type: p.positionType,
      investment_class: p.investmentClass,
      investment_subtype: p.investmentSubtype,
      quantity: p.quantity,
      entry_date: p.entryDate,
      entry_price: p.entryPrice,
      exit_date: p.exitDate,
      exit_price: p.exitPrice,
      is_open: open,
      cost_basis: costBasis,
      current_price: p.lastPrice,
      market_value: p.marketValue,
      unrealized_pnl: p.unrealizedPnl,
      // Relative to the capital at stake, so a profitable short shows a positive percentage.
      unrealized_pnl_percent:
        p.unrealizedPnl === null || costBasis === 0
          ? null
          : (p.unrealizedPnl / Math.abs(costBasis)) * 100,
      strike_price: p.strikePrice,
      expiration_date: p.expirationDate,
      underlying_symbol: p.underlyingSymbol,
      option_type: p.optionType,
      notes: p.notes,
      greeks: g,
    };
  });

  const held = rows.filter((r) => r.is_open);
  return {
    portfolio_id: portfolioId,
    as_of: latest?.date ?? null,
    positions: rows,
    summary: {
      total_positions: rows.length,
      open_positions: held.length,
      // Lots left out because they were closed or expired by the calculation date.
      closed_positions_hidden: positions.length - listed.length,
      // Sums over the open positions: what is held now, not what was once paid for closed lots.
      total_cost_basis: cents(held.reduce((total, r) => total + r.cost_basis, 0)),
      total_market_value: sumKnown(held.map((r) => r.market_value)),
      total_unrealized_pnl: sumKnown(held.map((r) => r.unrealized_pnl)),
    },
  };
}
