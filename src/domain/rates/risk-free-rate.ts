import { daysBetween, type IsoDate } from '../dates.ts';

/**
 * The risk-free rate from 3-month Treasury bill quotes (SPEC §5, §7). A quote is in percent;
 * the options' rate is quote / 100 used as a continuously compounded rate, and a day's hurdle
 * for Sharpe and Sortino is (1 + quote / 100)^(1/252) − 1.
 */

export interface BillQuote {
  date: IsoDate;
  /** Percent: 4.25 = 4.25 %. */
  ratePercent: number;
}

/** A quote older than this (calendar days) is not carried to a later session. */
export const MAX_QUOTE_CARRY_DAYS = 14;

/**
 * Each session's rate as a decimal: its own quote, else the latest earlier one no older than
 * MAX_QUOTE_CARRY_DAYS (a holiday of the bond market, a late provider), else null (unknown).
 *
 * @param quotes ascending by date
 */
export function billRatesOnSessions(
  sessions: readonly IsoDate[],
  quotes: readonly BillQuote[],
): (number | null)[] {
  const out: (number | null)[] = [];
  let q = -1;
  for (const session of sessions) {
    while (q + 1 < quotes.length && (quotes[q + 1] as BillQuote).date <= session) q++;
    const quote = quotes[q];
    out.push(
      quote && daysBetween(quote.date, session) <= MAX_QUOTE_CARRY_DAYS
        ? quote.ratePercent / 100
        : null,
    );
  }
  return out;
}

/** The day's hurdle return for an annual rate r (decimal): (1 + r)^(1/252) − 1. */
export function dailyRiskFreeReturn(annualRate: number): number {
  return (1 + annualRate) ** (1 / 252) - 1;
}
