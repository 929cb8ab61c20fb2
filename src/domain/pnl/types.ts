import type { IsoDate } from '../dates.ts';

import type { InvestmentClass } from '../positions/value-sets.ts';

export type { InvestmentClass };

/** A position as the P&L engine needs it; quantity is signed (negative = short or written). */
export interface PnlPosition {
  id: string;
  symbol: string;
  investmentClass: InvestmentClass;
  quantity: number;
  /** 100 for option contracts, 1 otherwise. */
  multiplier: number;
  entryDate: IsoDate;
  entryPrice: number;
  exitDate: IsoDate | null;
  exitPrice: number | null;
  /** A manual mark for a private asset (else it is carried at entry price). */
  manualMark?: number | null;
  /** Options: the contract expires at the close of this date and settles at intrinsic value. */
  expirationDate?: IsoDate | null;
}

/** A contribution (+) or withdrawal (−) on a date. */
export interface CapitalFlow {
  date: IsoDate;
  amount: number;
}

/**
 * stale_price / missing_price: a public price carried or absent (SPEC §4); the day is complete
 * only within the carry limit. default_risk_free_rate: an option was priced with the 4% default
 * because no bill quote was known (SPEC §5); it does not make the day incomplete.
 */
export type DataIssueKind = 'stale_price' | 'missing_price' | 'default_risk_free_rate';

export interface DataIssue {
  positionId: string;
  symbol: string;
  kind: DataIssueKind;
  /** The date of the price the position is carried at (null: never priced). */
  lastPriceDate: IsoDate | null;
  sessionsStale: number;
  message: string;
}

export interface PositionDayValue {
  positionId: string;
  price: number;
  marketValue: number;
  pnl: number;
}

export interface DailySnapshot {
  date: IsoDate;
  netAssetValue: number;
  previousNav: number;
  dailyPnl: number;
  dailyReturn: number;
  cumulativePnl: number;
  dailyRealizedPnl: number;
  dailyCapitalFlow: number;
  longValue: number;
  shortValue: number;
  grossExposure: number;
  netExposure: number;
  cashValue: number;
  numPositions: number;
  numLongPositions: number;
  numShortPositions: number;
  numOptionPositions: number;
  numPrivatePositions: number;
  dataIssues: DataIssue[];
  /** False when a price was missing past the carry limit: the day's numbers are provisional. */
  isComplete: boolean;
  positions: PositionDayValue[];
}
