import { describe, expect, it } from 'vitest';
import { historyStartOf } from '../../../../src/domain/pnl/history-start.ts';
import { historyWindowOf } from '../../../../src/domain/pnl/history-window.ts';

const lot = (id: string, entryDate: string) => ({ id, entryDate });

describe('historyWindowOf', () => {
  it('a portfolio never calculated is anchored on the target; lots entered later are left out', () => {
    const w = historyWindowOf(
      { anchorDate: null },
      [lot('a', '2026-07-01'), lot('b', '2026-08-10')],
      '2026-07-31',
    );
    expect(w.anchorDate).toBe('2026-07-31');
    expect(w.live.map((p) => p.id)).toEqual(['a']);
    // The base session is the last one before the earliest entry (Tue 1 July 2026 → Tue 30 June).
    expect(w.sessions[0]).toBe('2026-06-30');
    expect(w.sessions.at(-1)).toBe('2026-07-31');
    expect(w.sessions[0]).toBe(historyStartOf(['2026-07-01'], '2026-07-31').base);
  });

  it('ends on the anchor when the anchor is after the target', () => {
    const w = historyWindowOf(
      { anchorDate: '2026-08-04' },
      [lot('a', '2026-07-01'), lot('b', '2026-08-03')],
      '2026-07-31',
    );
    expect(w.anchorDate).toBe('2026-08-04');
    expect(w.live.map((p) => p.id)).toEqual(['a', 'b']);
    expect(w.sessions.at(-1)).toBe('2026-08-04');
  });

  it('a single session (nothing entered before the target day) makes no history', () => {
    const w = historyWindowOf({ anchorDate: null }, [], '2026-07-31');
    expect(w.live).toEqual([]);
    expect(w.sessions).toEqual([historyStartOf([], '2026-07-31').base, '2026-07-31']);
  });
});
