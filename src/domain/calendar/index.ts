export {
  isTradingDay,
  mostRecentCompletedTradingDay,
  nextTradingDay,
  previousTradingDay,
  SESSION_CLOSE_MINUTES,
  tradingSessionsBetween,
} from './trading-calendar.ts';
export {
  easterSunday,
  goodFriday,
  JUNETEENTH_FIRST_YEAR,
  MLK_DAY_FIRST_YEAR,
  nyseHolidays,
} from './nyse-holidays.ts';
export type { NyseHoliday } from './nyse-holidays.ts';
export { SPECIAL_CLOSURES, specialClosuresIn } from './special-closures.ts';
export type { SpecialClosure } from './special-closures.ts';
