import {
  isTradingDay,
  mostRecentCompletedTradingDay,
  previousTradingDay,
  tradingSessionsBetween,
} from '../../domain/calendar/index.ts';

export interface TargetDatesInput {
  now: Date;
  /** The provider's latest complete date; the target never passes it. */
  providerLatest: string | null;
  /** The latest date a full (unscoped) symbol batch completed, if any. */
  lastCompleted: string | null;
  /** `--date D`: run exactly this date (re-running it is idempotent). */
  explicitDate?: string | undefined;
  backfill: boolean;
  /**
   * A scheduled tick: a target already completed is not run again (a holiday's tick, whose last
   * session is done). An admin's "run now" re-runs it, idempotently, to refresh its data.
   */
  skipCompleted?: boolean;
}

export interface TargetDates {
  target: string;
  /** Dates to run, oldest first; the target is last. */
  dates: string[];
  /** Why the target is what it is, for the activity log. */
  note: string;
}

/**
 * Target = most recent completed NYSE session, bounded by the provider's data; plus every session
 * missed since the last completed run (SPEC §8), so a night the batch did not run is filled.
 */
export function resolveTargetDates(input: TargetDatesInput): TargetDates {
  if (input.explicitDate) {
    const d = input.explicitDate;
    const target = isTradingDay(d) ? d : previousTradingDay(d);
    return {
      target,
      dates: [target],
      note: target === d ? `explicit date ${d}` : `${d} is not a trading day; using ${target}`,
    };
  }
  const completed = mostRecentCompletedTradingDay(input.now);
  let target = completed;
  let note = `most recent completed session ${completed}`;
  if (input.providerLatest && input.providerLatest < completed) {
    target = isTradingDay(input.providerLatest)
      ? input.providerLatest
      : previousTradingDay(input.providerLatest);
    note += `, bounded by the provider's latest data ${input.providerLatest}`;
  }
  if (input.skipCompleted && input.lastCompleted && input.lastCompleted >= target) {
    return { target, dates: [], note: `${note}, already completed` };
  }
  if (!input.backfill || !input.lastCompleted || input.lastCompleted >= target) {
    return { target, dates: [target], note };
  }
  const missed = tradingSessionsBetween(input.lastCompleted, target).filter(
    (d) => d > input.lastCompleted!,
  );
  if (missed.length > 1) note += `; backfilling ${missed.length - 1} missed session(s)`;
  return { target, dates: missed, note };
}
