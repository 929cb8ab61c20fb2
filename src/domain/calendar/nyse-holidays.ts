import { addDays, compareIsoDates, daysInMonth, isoDate, weekday } from '../dates.ts';
import type { IsoDate, Weekday } from '../dates.ts';

/** One regular NYSE full-day holiday: the day the Exchange is closed, and the holiday's name. */
export type NyseHoliday = {
  date: IsoDate;
  name: string;
};

const MONDAY: Weekday = 1;
const THURSDAY: Weekday = 4;
const SATURDAY: Weekday = 6;
const SUNDAY: Weekday = 0;

/** First year the Exchange closed for Martin Luther King, Jr. Day. */
export const MLK_DAY_FIRST_YEAR = 1998;
/** Juneteenth became a federal holiday in June 2021, too late for NYSE's 2021 schedule. */
export const JUNETEENTH_FIRST_YEAR = 2022;

/**
 * The regular NYSE holidays of `year`, ascending by date, computed from the rules rather than a
 * list so the calendar never silently runs out of years. The rules are the current ones (NYSE
 * Rule 7.2); the historical schedule before 1971 (fixed-date holidays, Lincoln's Birthday,
 * election days) is not modelled. Unscheduled closures live in special-closures.ts.
 */
export function nyseHolidays(year: number): NyseHoliday[] {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new RangeError(`Invalid year ${year}: expected an integer from 1 to 9999`);
  }
  const holidays: NyseHoliday[] = [];
  const add = (date: IsoDate | undefined, name: string): void => {
    if (date !== undefined) holidays.push({ date, name });
  };

  add(newYearsDayObserved(year), "New Year's Day");
  if (year >= MLK_DAY_FIRST_YEAR) {
    add(nthWeekday(year, 1, MONDAY, 3), 'Martin Luther King, Jr. Day');
  }
  add(nthWeekday(year, 2, MONDAY, 3), "Washington's Birthday");
  add(goodFriday(year), 'Good Friday');
  add(lastWeekday(year, 5, MONDAY), 'Memorial Day');
  if (year >= JUNETEENTH_FIRST_YEAR) {
    add(observed(isoDate(year, 6, 19)), 'Juneteenth National Independence Day');
  }
  add(observed(isoDate(year, 7, 4)), 'Independence Day');
  add(nthWeekday(year, 9, MONDAY, 1), 'Labor Day');
  add(nthWeekday(year, 11, THURSDAY, 4), 'Thanksgiving Day');
  add(observed(isoDate(year, 12, 25)), 'Christmas Day');

  // The lines above are already in calendar order; sorting keeps that true if a rule is added.
  return holidays.sort((a, b) => compareIsoDates(a.date, b.date));
}

/**
 * Rule 7.2 closes the Exchange on the Friday before a Saturday holiday "unless unusual business
 * conditions exist, such as the ending of a monthly or yearly accounting period". December 31 is
 * always a year end, so a Saturday New Year's Day is simply not observed (2021-12-31 traded).
 */
function newYearsDayObserved(year: number): IsoDate | undefined {
  const day = weekday(isoDate(year, 1, 1));
  if (day === SATURDAY) return undefined;
  return day === SUNDAY ? isoDate(year, 1, 2) : isoDate(year, 1, 1);
}

/** Saturday holidays close the Friday before, Sunday holidays the Monday after. */
function observed(date: IsoDate): IsoDate {
  const day = weekday(date);
  if (day === SATURDAY) return addDays(date, -1);
  if (day === SUNDAY) return addDays(date, 1);
  return date;
}

/** The `n`th (1-based) `target` weekday of `month` (1–12), e.g. the 3rd Monday of January. */
function nthWeekday(year: number, month: number, target: Weekday, n: number): IsoDate {
  const first = weekday(isoDate(year, month, 1));
  const firstMatch = 1 + ((target - first + 7) % 7);
  return isoDate(year, month, firstMatch + 7 * (n - 1));
}

/** The last `target` weekday of `month` (1–12), e.g. the last Monday of May. */
function lastWeekday(year: number, month: number, target: Weekday): IsoDate {
  const lastDay = daysInMonth(year, month);
  const last = weekday(isoDate(year, month, lastDay));
  return isoDate(year, month, lastDay - ((last - target + 7) % 7));
}

/**
 * Western (Gregorian) Easter Sunday by the anonymous algorithm (Meeus/Jones/Butcher), which is
 * exact for every Gregorian year without a lookup table.
 */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

export function goodFriday(year: number): IsoDate {
  return addDays(easterSunday(year), -2);
}
