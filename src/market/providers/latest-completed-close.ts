import { mostRecentCompletedTradingDay } from '../../domain/calendar/index.ts';
import { addDays, newYorkDateTime, type IsoDate } from '../../domain/dates.ts';
import type { DailyBar, SymbolResult } from '../provider.ts';

/** The symbol a network provider's latestAvailableDate asks about: it trades every session. */
export const BELLWETHER = 'SPY';

/**
 * The date of the newest *completed* session a provider has a close for: it is asked for the
 * bellwether's bars of the last ten days and the answer read against the NYSE calendar, because
 * a bar for a session still trading is a live price, not a close. `no_data` means the provider
 * has nothing yet (null); any other failure is thrown for the resilience layer to judge.
 */
export async function latestCompletedClose(
  now: Date,
  barsOf: (
    symbol: string,
    from: IsoDate,
    to: IsoDate,
  ) => Promise<SymbolResult<DailyBar[]> | DailyBar[]>,
): Promise<IsoDate | null> {
  const today = newYorkDateTime(now).date;
  const completed = mostRecentCompletedTradingDay(now);
  const answer = await barsOf(BELLWETHER, addDays(today, -10), today);
  let bars: DailyBar[];
  if (Array.isArray(answer)) bars = answer;
  else if (answer.ok) bars = answer.value;
  else if (answer.error.code === 'no_data') return null;
  else throw answer.error;
  return bars.filter((b) => b.date <= completed).at(-1)?.date ?? null;
}
