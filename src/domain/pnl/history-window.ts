import { tradingSessionsBetween } from '../calendar/index.ts';
import type { IsoDate } from '../dates.ts';
import { historyStartOf } from './history-start.ts';

/** Anchor, live lots and sessions of a portfolio's history computed for a target date. */
export interface HistoryWindow<P> {
  /** The portfolio's anchor; a portfolio never calculated is anchored on the target. */
  anchorDate: IsoDate;
  /** The lots entered on or before the window's end. */
  live: P[];
  /** A base session before the earliest live entry (at most MAX_HISTORY_YEARS back), to the end. */
  sessions: IsoDate[];
}

/**
 * The one rule for the window of a portfolio's history: it ends on the target, or on the anchor
 * when that is later, and starts at the base session of the lots entered by then (the P&L phase
 * computes over it; the refresh reads the stored complete days from its first session).
 */
export function historyWindowOf<P extends { entryDate: IsoDate }>(
  portfolio: { anchorDate: IsoDate | null },
  positions: readonly P[],
  target: IsoDate,
): HistoryWindow<P> {
  const anchorDate = portfolio.anchorDate ?? target;
  const end = anchorDate > target ? anchorDate : target;
  const live = positions.filter((p) => p.entryDate <= end);
  const { base } = historyStartOf(
    live.map((p) => p.entryDate),
    end,
  );
  return { anchorDate, live, sessions: tradingSessionsBetween(base, end) };
}
