import { describe, expect, it } from 'vitest';
import { resolveTargetDates } from '../../../../src/pipeline/symbol-batch/target-dates.ts';

// 2024-07-10 is a Wednesday; 21:00Z is 17:00 in New York (EDT), after the close.
const afterClose = new Date('2024-07-10T21:00:00Z');
const beforeClose = new Date('2024-07-10T19:00:00Z');

describe('resolveTargetDates', () => {
  it('targets the most recent completed session', () => {
    expect(
      resolveTargetDates({
        now: afterClose,
        providerLatest: null,
        lastCompleted: null,
        backfill: true,
      }),
    ).toMatchObject({
      target: '2024-07-10',
      dates: ['2024-07-10'],
    });
    expect(
      resolveTargetDates({
        now: beforeClose,
        providerLatest: null,
        lastCompleted: null,
        backfill: true,
      }).target,
    ).toBe('2024-07-09');
  });

  it("is bounded by the provider's latest data, moving back to a trading day", () => {
    const r = resolveTargetDates({
      now: afterClose,
      providerLatest: '2024-07-06',
      lastCompleted: null,
      backfill: true,
    });
    expect(r.target).toBe('2024-07-05'); // 07-06 is a Saturday
    expect(r.note).toMatch(/bounded by the provider/);
  });

  it('backfills every session missed since the last completed run, skipping the holiday', () => {
    const r = resolveTargetDates({
      now: afterClose,
      providerLatest: null,
      lastCompleted: '2024-07-01',
      backfill: true,
    });
    // 07-04 is Independence Day.
    expect(r.dates).toEqual([
      '2024-07-02',
      '2024-07-03',
      '2024-07-05',
      '2024-07-08',
      '2024-07-09',
      '2024-07-10',
    ]);
  });

  it('runs nothing for a scheduled tick whose target is already completed (a holiday)', () => {
    // 2024-07-04 (Independence Day), 21:00 in New York: the last session, 07-03, is done.
    const holidayTick = new Date('2024-07-05T01:00:00Z');
    const input = { now: holidayTick, providerLatest: null, lastCompleted: '2024-07-03' };
    expect(resolveTargetDates({ ...input, backfill: true, skipCompleted: true })).toMatchObject({
      target: '2024-07-03',
      dates: [],
    });
    // An admin's run re-runs it; a missed session is still caught up by a scheduled tick.
    expect(resolveTargetDates({ ...input, backfill: true }).dates).toEqual(['2024-07-03']);
    expect(
      resolveTargetDates({
        ...input,
        lastCompleted: '2024-07-02',
        backfill: true,
        skipCompleted: true,
      }).dates,
    ).toEqual(['2024-07-03']);
  });

  it('runs only the target when backfill is off or nothing was missed', () => {
    expect(
      resolveTargetDates({
        now: afterClose,
        providerLatest: null,
        lastCompleted: '2024-07-01',
        backfill: false,
      }).dates,
    ).toEqual(['2024-07-10']);
    expect(
      resolveTargetDates({
        now: afterClose,
        providerLatest: null,
        lastCompleted: '2024-07-10',
        backfill: true,
      }).dates,
    ).toEqual(['2024-07-10']);
  });

  it('runs an explicit date as given, or the session before a non-trading day', () => {
    expect(
      resolveTargetDates({
        now: afterClose,
        providerLatest: null,
        lastCompleted: null,
        explicitDate: '2020-03-23',
        backfill: true,
      }).dates,
    ).toEqual(['2020-03-23']);
    const r = resolveTargetDates({
      now: afterClose,
      providerLatest: null,
      lastCompleted: null,
      explicitDate: '2024-12-25',
      backfill: true,
    });
    expect(r.dates).toEqual(['2024-12-24']);
  });
});
