import type { IsoDate } from '../dates.ts';
import { cents } from '../money.ts';
import type {
  CapitalFlow,
  DailySnapshot,
  DataIssue,
  PnlPosition,
  PositionDayValue,
} from './types.ts';

/** SPEC §4: a public position is carried at its last close for at most this many sessions. */
export const MAX_CARRY_SESSIONS = 5;

export interface PortfolioHistoryInput {
  /**
   * Trading sessions, ascending. `sessions[0]` is the base day (the session before the first
   * snapshot): its prices are the "previous close" of day 1 and it gets no snapshot itself.
   */
  sessions: readonly IsoDate[];
  positions: readonly PnlPosition[];
  flows: readonly CapitalFlow[];
  /** The user's stated NAV (equity_balance) on this session; history before it is back-cast. */
  anchor: { date: IsoDate; nav: number };
  /**
   * Close of position `p` (per share or per contract) on session `s`, NaN when unknown. For an
   * option this is the provider's close or its model value; on its expiry session, intrinsic value.
   */
  priceOf(positionIndex: number, sessionIndex: number): number;
  /** Sessions (by date) whose per-position values to return; default the last one only. */
  detailDates?: ReadonlySet<IsoDate>;
}

function firstIndexAtOrAfter(sessions: readonly IsoDate[], date: IsoDate): number {
  let lo = 0;
  let hi = sessions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sessions[mid]! < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface PositionTimeline {
  entry: number;
  /** Session on which the position leaves the book (exit or option expiry), or Infinity. */
  exit: number;
  /** True when `exit` is an option expiry rather than a user exit. */
  expires: boolean;
}

function timelineOf(sessions: readonly IsoDate[], p: PnlPosition): PositionTimeline {
  const entry = firstIndexAtOrAfter(sessions, p.entryDate);
  let exit = Infinity;
  let expires = false;
  if (p.exitDate) exit = firstIndexAtOrAfter(sessions, p.exitDate);
  if (p.expirationDate && p.expirationDate <= sessions[sessions.length - 1]!) {
    // Expiry settles at the close of the last session on or before the expiration date.
    const after = firstIndexAtOrAfter(sessions, p.expirationDate);
    const expiry = sessions[after] === p.expirationDate ? after : after - 1;
    if (expiry >= entry && expiry < exit) {
      exit = expiry;
      expires = true;
    }
  }
  return { entry, exit, expires };
}

/**
 * Daily P&L, equity and exposures for every session of a portfolio's history (SPEC §4):
 * P&L_i(d) = (P_d − P_prev)·q·m with P_prev the entry price on the entry day; on the exit day
 * (exit − P_prev)·q·m and then nothing; realized P&L is reported, never added twice; equity rolls
 * E_d = E_{d−1} + P&L_d + flows_d forward from the anchor and is back-cast before it.
 */
export function computePortfolioHistory(input: PortfolioHistoryInput): DailySnapshot[] {
  const { sessions, positions, flows } = input;
  const n = sessions.length;
  if (n < 2) return [];
  const anchorIndex = firstIndexAtOrAfter(sessions, input.anchor.date);
  if (sessions[anchorIndex] !== input.anchor.date) {
    throw new RangeError(`anchor date ${input.anchor.date} is not one of the sessions`);
  }
  const lastDate = sessions[n - 1]!;
  const detail = input.detailDates ?? new Set([lastDate]);

  // Flows on a non-trading day land on the next session; those on or before the base day are
  // already inside the starting equity.
  const flowBySession = new Float64Array(n);
  for (const f of flows) {
    const j = firstIndexAtOrAfter(sessions, f.date);
    if (j >= 1 && j < n) flowBySession[j]! += f.amount;
  }

  const timelines = positions.map((p) => timelineOf(sessions, p));
  const lastPrice = new Float64Array(positions.length).fill(NaN);
  const lastPriceSession = new Int32Array(positions.length).fill(-1);
  // A public position held since on or before the base day (e.g. bought before the 5-year
  // history floor) has no entry day inside the window: its day-1 "previous close" is the base
  // day's close — its P&L before the window is inside the starting equity. Without a base-day
  // close it falls back to the entry price, like any never-priced position.
  for (let i = 0; i < positions.length; i++) {
    if (timelines[i]!.entry !== 0 || positions[i]!.investmentClass === 'PRIVATE') continue;
    const base = input.priceOf(i, 0);
    if (Number.isFinite(base) && base >= 0) {
      lastPrice[i] = base;
      lastPriceSession[i] = 0;
    } else {
      lastPrice[i] = positions[i]!.entryPrice;
    }
  }
  const snapshots: DailySnapshot[] = [];
  // Each day's P&L before rounding to the cent (for the daily return).

  for (let j = 1; j < n; j++) {
    let pnl = 0;
    let realized = 0;
    let longValue = 0;
    let shortValue = 0;
    let numLong = 0;
    let numShort = 0;
    let numOptions = 0;
    let numPrivate = 0;
    let complete = true;
    const issues: DataIssue[] = [];
    const values: PositionDayValue[] | null = detail.has(sessions[j]!) ? [] : null;

    for (let i = 0; i < positions.length; i++) {
      const p = positions[i]!;
      const t = timelines[i]!;
      if (j < t.entry || j > t.exit) continue;
      const size = p.quantity * p.multiplier;
      const previous = j === t.entry ? p.entryPrice : lastPrice[i]!;

      if (p.investmentClass === 'PRIVATE') {
        // Private assets are held at entry price (or a manual mark) and make no market P&L.
        const mark = p.manualMark ?? p.entryPrice;
        if (j === t.exit && p.exitPrice !== null) {
          realized += (p.exitPrice - p.entryPrice) * size;
          values?.push({ positionId: p.id, price: p.exitPrice, marketValue: 0, pnl: 0 });
          continue;
        }
        const mv = mark * size;
        if (mv >= 0) longValue += mv;
        else shortValue += mv;
        numPrivate++;
        lastPrice[i] = mark;
        values?.push({ positionId: p.id, price: mark, marketValue: mv, pnl: 0 });
        continue;
      }

      if (j === t.exit) {
        const exitPrice = t.expires ? input.priceOf(i, j) : p.exitPrice!;
        const settle = Number.isFinite(exitPrice) ? exitPrice : previous;
        const dayPnl = (settle - previous) * size;
        pnl += dayPnl;
        realized += (settle - p.entryPrice) * size;
        values?.push({ positionId: p.id, price: settle, marketValue: 0, pnl: dayPnl });
        continue;
      }

      let price = input.priceOf(i, j);
      if (Number.isFinite(price) && price >= 0) {
        lastPrice[i] = price;
        lastPriceSession[i] = j;
      } else {
        // Carried at the last known price (or the entry price if never priced), and reported.
        price = previous;
        if (j === t.entry) lastPrice[i] = price;
        const since = lastPriceSession[i]! >= 0 ? j - lastPriceSession[i]! : j - t.entry + 1;
        const overLimit = since > MAX_CARRY_SESSIONS;
        if (overLimit) complete = false;
        const lastDateSeen = lastPriceSession[i]! >= 0 ? sessions[lastPriceSession[i]!]! : null;
        issues.push({
          positionId: p.id,
          symbol: p.symbol,
          kind: lastDateSeen ? 'stale_price' : 'missing_price',
          lastPriceDate: lastDateSeen,
          sessionsStale: since,
          message: lastDateSeen
            ? `${p.symbol} has no close on ${sessions[j]}; carried at ${price} from ${lastDateSeen} (${since} session(s))${overLimit ? `, beyond the ${MAX_CARRY_SESSIONS}-session limit` : ''}`
            : `${p.symbol} has never been priced; carried at its entry price ${price}`,
        });
      }
      const dayPnl = (price - previous) * size;
      pnl += dayPnl;
      const mv = price * size;
      if (mv >= 0) longValue += mv;
      else shortValue += mv;
      if (p.investmentClass === 'OPTIONS') numOptions++;
      else if (p.quantity > 0) numLong++;
      else numShort++;
      values?.push({ positionId: p.id, price, marketValue: mv, pnl: dayPnl });
    }

    snapshots.push({
      date: sessions[j]!,
      netAssetValue: 0,
      previousNav: 0,
      dailyPnl: pnl,
      dailyReturn: 0,
      cumulativePnl: 0,
      dailyRealizedPnl: realized,
      dailyCapitalFlow: cents(flowBySession[j]!),
      longValue,
      shortValue,
      grossExposure: longValue - shortValue,
      netExposure: longValue + shortValue,
      cashValue: 0,
      numPositions: numLong + numShort + numOptions + numPrivate,
      numLongPositions: numLong,
      numShortPositions: numShort,
      numOptionPositions: numOptions,
      numPrivatePositions: numPrivate,
      dataIssues: issues,
      isComplete: complete,
      positions: values ?? [],
    });
  }

  // Equity: fixed at the anchor, rolled forward after it and back-cast before it.
  const nav = new Float64Array(n);
  nav[anchorIndex] = input.anchor.nav;
  for (let j = anchorIndex; j >= 1; j--) {
    const s = snapshots[j - 1]!;
    nav[j - 1] = nav[j]! - s.dailyPnl - flowBySession[j]!;
  }
  for (let j = anchorIndex + 1; j < n; j++) {
    const s = snapshots[j - 1]!;
    nav[j] = nav[j - 1]! + s.dailyPnl + flowBySession[j]!;
  }
  // Money is stored in cents. Each day's NAV is rounded once, and the day's P&L is the change in
  // those rounded NAVs less the day's flow: rounding the P&L on its own would let Σ daily P&L +
  // flows drift a cent or more from the NAV change over a month. The return keeps the exact P&L
  // (the volatility and beta series read it).
  let cumulative = 0;
  for (let j = 1; j < n; j++) {
    const s = snapshots[j - 1]!;
    const exactPnl = s.dailyPnl;
    s.previousNav = cents(nav[j - 1]!);
    s.netAssetValue = cents(nav[j]!);
    s.dailyPnl = cents(s.netAssetValue - s.previousNav - s.dailyCapitalFlow);
    cumulative = cents(cumulative + s.dailyPnl);
    s.cumulativePnl = cumulative;
    s.dailyReturn = nav[j - 1]! > 0 ? exactPnl / nav[j - 1]! : 0;
    s.cashValue = nav[j]! - s.netExposure;
  }
  return snapshots;
}
