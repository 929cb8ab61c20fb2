import { previousTradingDay } from '../calendar/index.ts';
import { addDays, type IsoDate } from '../dates.ts';

/** History is back-cast from the earliest entry date, at most this far (SPEC §4). */
export const MAX_HISTORY_YEARS = 5;

export interface HistoryStart {
  /** The first day of the history (its first stored snapshot is the first session from it). */
  start: IsoDate;
  /** The base session: the last one before the earliest entry (or before the floor). */
  base: IsoDate;
  /** True when the five-year floor, not an entry date, set the start. */
  floored: boolean;
}

/** Where a history ending on `end` starts, given the entry dates of the lots in it. */
export function historyStartOf(entryDates: Iterable<IsoDate>, end: IsoDate): HistoryStart {
  const earliestAllowed = addDays(end, -Math.round(365.25 * MAX_HISTORY_YEARS));
  let start = end;
  for (const d of entryDates) if (d < start) start = d;
  const floored = start < earliestAllowed;
  if (floored) start = earliestAllowed;
  return { start, base: previousTradingDay(start), floored };
}
