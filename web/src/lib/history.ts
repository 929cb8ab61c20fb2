import type { HistoryPoint } from '../api/types.ts';

export type HistoryRange = '1M' | '3M' | 'YTD' | '1Y' | 'All';
export const HISTORY_RANGES: HistoryRange[] = ['1M', '3M', 'YTD', '1Y', 'All'];

export interface CombinedPoint {
  date: string;
  net_asset_value: number;
  cumulative_pnl: number;
  daily_pnl: number;
  /** The day's P&L over the previous day's NAV (for a single portfolio, the API's return). */
  daily_return: number;
}

/**
 * One series from one or more portfolios' histories: a day counts only when every portfolio has
 * a snapshot on it, so All accounts never mixes a partial set of books into a total.
 */
export function combineHistories(histories: HistoryPoint[][]): CombinedPoint[] {
  if (histories.length === 1) {
    return histories[0]!.map((p) => ({
      date: p.date,
      net_asset_value: p.net_asset_value,
      cumulative_pnl: p.cumulative_pnl,
      daily_pnl: p.daily_pnl,
      daily_return: p.daily_return,
    }));
  }
  const byDate = new Map<string, { nav: number; cum: number; pnl: number; count: number }>();
  for (const history of histories) {
    for (const p of history) {
      const day = byDate.get(p.date) ?? { nav: 0, cum: 0, pnl: 0, count: 0 };
      day.nav += p.net_asset_value;
      day.cum += p.cumulative_pnl;
      day.pnl += p.daily_pnl;
      day.count += 1;
      byDate.set(p.date, day);
    }
  }
  const days = [...byDate.entries()]
    .filter(([, d]) => d.count === histories.length)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return days.map(([date, d], i) => {
    const previousNav = i > 0 ? days[i - 1]![1].nav : d.nav - d.pnl;
    return {
      date,
      net_asset_value: d.nav,
      cumulative_pnl: d.cum,
      daily_pnl: d.pnl,
      daily_return: previousNav !== 0 ? d.pnl / previousNav : 0,
    };
  });
}

/** The first date a range includes, counted back from the series' last date. */
export function rangeStart(lastDate: string, range: HistoryRange): string | null {
  const [y, m, d] = lastDate.split('-').map(Number) as [number, number, number];
  const shift = (months: number) => {
    const date = new Date(Date.UTC(y, m - 1 - months, d));
    return date.toISOString().slice(0, 10);
  };
  switch (range) {
    case '1M':
      return shift(1);
    case '3M':
      return shift(3);
    case '1Y':
      return shift(12);
    case 'YTD':
      return `${y}-01-01`;
    case 'All':
      return null;
  }
}

export function pointsInRange(points: CombinedPoint[], range: HistoryRange): CombinedPoint[] {
  const last = points.at(-1);
  if (!last) return points;
  const start = rangeStart(last.date, range);
  return start ? points.filter((p) => p.date >= start) : points;
}
