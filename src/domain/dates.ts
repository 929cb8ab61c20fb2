/**
 * A calendar date written `YYYY-MM-DD`. Plain strings rather than `Date` objects because a date
 * has no time zone: turning one into an instant invites off-by-one-day bugs at midnight, while
 * ISO strings compare, sort and serialise (CSV, JSON, SQL) as they are.
 */
export type IsoDate = string;

/** The weekday numbering of `Date.prototype.getUTCDay`: 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MS_PER_DAY = 86_400_000;

/**
 * True for a real calendar date written `YYYY-MM-DD` (so `2021-02-29` and `2021-13-01` fail).
 * Deliberately not a type guard: IsoDate is `string`, so `text is IsoDate` would narrow the
 * false branch to `never` and break callers that report the rejected text.
 */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (match === null) return false;
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(match[1]), month);
}

/**
 * The dates the service accepts anywhere a date is a parameter. Year 0000 does not exist in
 * PostgreSQL and years 0001–0099 turn into 19xx in JavaScript's Date.UTC; no market data, entry
 * or report predates 1900, and nothing is planned past 2199.
 */
export const EARLIEST_SUPPORTED_DATE: IsoDate = '1900-01-01';
export const LATEST_SUPPORTED_DATE: IsoDate = '2199-12-31';

/** A real calendar date within the supported range. */
export function isSupportedDate(text: string): boolean {
  return isIsoDate(text) && text >= EARLIEST_SUPPORTED_DATE && text <= LATEST_SUPPORTED_DATE;
}

/** Returns `text` typed as an IsoDate, or throws a RangeError naming the bad value. */
export function parseIsoDate(text: string): IsoDate {
  if (!isIsoDate(text)) {
    throw new RangeError(`Invalid date '${text}': expected a real calendar date as YYYY-MM-DD`);
  }
  return text;
}

/** The date with the given year, month (1–12) and day of month; throws if it does not exist. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  return parseIsoDate(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 (negative before it). Date.UTC is used rather than the local-time Date
 * constructor so the answer never depends on the machine's time zone or its DST transitions.
 */
export function toDayNumber(date: IsoDate): number {
  const valid = parseIsoDate(date);
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  utc.setUTCFullYear(
    Number(valid.slice(0, 4)),
    Number(valid.slice(5, 7)) - 1,
    Number(valid.slice(8, 10)),
  );
  return Math.round(utc.getTime() / MS_PER_DAY);
}

/** Inverse of `toDayNumber`. Throws for non-integers and for dates outside years 0000–9999. */
export function fromDayNumber(dayNumber: number): IsoDate {
  if (!Number.isInteger(dayNumber)) {
    throw new RangeError(`Invalid day number ${dayNumber}: expected an integer`);
  }
  const utc = new Date(dayNumber * MS_PER_DAY);
  const year = utc.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new RangeError(`Day number ${dayNumber} is outside the years 0000–9999`);
  }
  return `${pad(year, 4)}-${pad(utc.getUTCMonth() + 1, 2)}-${pad(utc.getUTCDate(), 2)}`;
}

/** `date` moved by `days` calendar days (negative moves back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Weekday of a day number; 1970-01-01 was a Thursday. */
export function weekdayOfDayNumber(dayNumber: number): Weekday {
  return ((((dayNumber + 4) % 7) + 7) % 7) as Weekday;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): Weekday {
  return weekdayOfDayNumber(toDayNumber(date));
}

/**
 * Negative, zero or positive like any comparator, so `dates.sort(compareIsoDates)` works.
 * Valid ISO dates order the same as strings, so no parsing is needed.
 */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Wall-clock reading in New York: the local date and minutes since local midnight (0–1439). */
export type NewYorkDateTime = {
  date: IsoDate;
  minutesSinceMidnight: number;
};

// Building a DateTimeFormat is expensive (it loads time-zone data), so one is shared.
// hourCycle 'h23' because `hour12: false` renders midnight as "24" in some ICU versions.
const NEW_YORK_FORMAT = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * What a clock on Wall Street shows at `instant`. The tz database inside Intl knows every past
 * and future DST rule change, which hand-written "second Sunday of March" logic would not.
 */
export function newYorkDateTime(instant: Date): NewYorkDateTime {
  if (Number.isNaN(instant.getTime()))
    throw new RangeError('Invalid Date passed to newYorkDateTime');
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of NEW_YORK_FORMAT.formatToParts(instant)) parts[part.type] = part.value;
  const date = isoDate(Number(parts.year), Number(parts.month), Number(parts.day));
  return { date, minutesSinceMidnight: Number(parts.hour) * 60 + Number(parts.minute) };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
