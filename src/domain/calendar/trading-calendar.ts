import { fromDayNumber, newYorkDateTime, toDayNumber, weekdayOfDayNumber } from '../dates.ts';
import type { IsoDate } from '../dates.ts';
import { nyseHolidays } from './nyse-holidays.ts';
import { specialClosuresIn } from './special-closures.ts';

/** The regular session closes at 16:00 New York time. */
export const SESSION_CLOSE_MINUTES = 16 * 60;

// Every weekday of a range asks for its year's closures; computing them once per year keeps a
// multi-year sessions scan to a string lookup per day.
const closedDaysByYear = new Map<number, ReadonlySet<IsoDate>>();

function closedDaysOf(year: number): ReadonlySet<IsoDate> {
  let closed = closedDaysByYear.get(year);
  if (closed === undefined) {
    closed = new Set([
      ...nyseHolidays(year).map((holiday) => holiday.date),
      ...specialClosuresIn(year).map((closure) => closure.date),
    ]);
    closedDaysByYear.set(year, closed);
  }
  return closed;
}

function isTradingDayNumber(dayNumber: number): boolean {
  const day = weekdayOfDayNumber(dayNumber);
  if (day === 0 || day === 6) return false;
  const date = fromDayNumber(dayNumber);
  return !closedDaysOf(Number(date.slice(0, 4))).has(date);
}

/** True when the NYSE holds a regular session on `date`. Throws RangeError for a malformed date. */
export function isTradingDay(date: IsoDate): boolean {
  return isTradingDayNumber(toDayNumber(date));
}

// The longest run of closed days the rules produce is six (September 11–16, 2001); the bound turns
// a bug in the rules into an error instead of an endless loop.
const MAX_CLOSED_RUN = 14;

function stepToTradingDay(date: IsoDate, step: 1 | -1): IsoDate {
  let dayNumber = toDayNumber(date);
  for (let i = 0; i < MAX_CLOSED_RUN; i += 1) {
    dayNumber += step;
    if (isTradingDayNumber(dayNumber)) return fromDayNumber(dayNumber);
  }
  throw new Error(`No NYSE trading day within ${MAX_CLOSED_RUN} days of ${date}`);
}

/** The last trading day strictly before `date` (which need not be a trading day itself). */
export function previousTradingDay(date: IsoDate): IsoDate {
  return stepToTradingDay(date, -1);
}

/** The first trading day strictly after `date` (which need not be a trading day itself). */
export function nextTradingDay(date: IsoDate): IsoDate {
  return stepToTradingDay(date, 1);
}

/** Every trading day from `from` to `to`, both included, ascending; empty when `from` > `to`. */
export function tradingSessionsBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const last = toDayNumber(to);
  const sessions: IsoDate[] = [];
  for (let dayNumber = toDayNumber(from); dayNumber <= last; dayNumber += 1) {
    if (isTradingDayNumber(dayNumber)) sessions.push(fromDayNumber(dayNumber));
  }
  return sessions;
}

/**
 * The latest trading day whose session has closed at `instant`: today in New York once it is
 * 16:00 there on a trading day, otherwise the trading day before. Early-close days (13:00) are
 * treated like full days, which only delays them by three hours and never reports a session as
 * complete while it is still trading.
 */
export function mostRecentCompletedTradingDay(instant: Date): IsoDate {
  const { date, minutesSinceMidnight } = newYorkDateTime(instant);
  if (minutesSinceMidnight >= SESSION_CLOSE_MINUTES && isTradingDay(date)) return date;
  return previousTradingDay(date);
}
