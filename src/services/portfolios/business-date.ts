import { newYorkDateTime, type IsoDate } from '../../domain/dates.ts';

/**
 * "Today" for user input (CSV entry dates, equity-change dates): the calendar date in New York.
 * Trade and cash dates of US accounts are New York dates; a UTC date would accept tomorrow's
 * date every New York evening from 19:00/20:00 on.
 */
export function businessToday(now: Date): IsoDate {
  return newYorkDateTime(now).date;
}
