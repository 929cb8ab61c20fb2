import type { IsoDate } from '../dates.ts';

/** A full-day closure outside the regular holiday rules: national mourning, weather, attacks. */
export type SpecialClosure = {
  date: IsoDate;
  reason: string;
};

/**
 * Unscheduled full-day NYSE closures since 1985, ascending. These cannot be computed, so a new
 * one (announced typically a few days ahead) must be added here by hand. Shortened sessions
 * (early closes, delayed opens) are not closures and do not belong here.
 */
export const SPECIAL_CLOSURES: readonly SpecialClosure[] = Object.freeze([
  { date: '1985-09-27', reason: 'Hurricane Gloria' },
  { date: '1994-04-27', reason: 'National day of mourning for President Richard Nixon' },
  { date: '2001-09-11', reason: 'September 11 attacks' },
  { date: '2001-09-12', reason: 'September 11 attacks' },
  { date: '2001-09-13', reason: 'September 11 attacks' },
  { date: '2001-09-14', reason: 'September 11 attacks' },
  { date: '2004-06-11', reason: 'National day of mourning for President Ronald Reagan' },
  { date: '2007-01-02', reason: 'National day of mourning for President Gerald Ford' },
  { date: '2012-10-29', reason: 'Hurricane Sandy' },
  { date: '2012-10-30', reason: 'Hurricane Sandy' },
  { date: '2018-12-05', reason: 'National day of mourning for President George H. W. Bush' },
  { date: '2025-01-09', reason: 'National day of mourning for President Jimmy Carter' },
]);

/** The special closures falling in `year`, ascending. */
export function specialClosuresIn(year: number): SpecialClosure[] {
  const prefix = `${String(year).padStart(4, '0')}-`;
  return SPECIAL_CLOSURES.filter((closure) => closure.date.startsWith(prefix));
}
