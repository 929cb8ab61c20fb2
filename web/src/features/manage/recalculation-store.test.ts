import { describe, expect, it } from 'vitest';
import { isLiveStatus, recalculationFinished } from './recalculation-store.ts';

const since = Date.parse('2026-08-04T15:00:00Z');

describe('recalculationFinished', () => {
  const wait = { since, previousStartedAt: '2026-08-04T14:00:00.000Z' };

  it('waits while the latest run is live or is the one known before the change', () => {
    expect(isLiveStatus('queued')).toBe(true);
    expect(recalculationFinished(wait, undefined)).toBe(false);
    expect(
      recalculationFinished(wait, { status: 'completed', started_at: wait.previousStartedAt }),
    ).toBe(false);
    expect(
      recalculationFinished(wait, { status: 'running', started_at: '2026-08-04T15:00:01Z' }),
    ).toBe(false);
  });

  it('is done when a newer run has ended, whatever its outcome', () => {
    for (const status of ['completed', 'partial', 'failed']) {
      expect(recalculationFinished(wait, { status, started_at: '2026-08-04T15:00:01Z' })).toBe(
        true,
      );
    }
  });

  it('without a run known before, takes only a run that started about the change', () => {
    const fresh = { since, previousStartedAt: null };
    expect(
      recalculationFinished(fresh, { status: 'completed', started_at: '2026-08-01T10:00:00Z' }),
    ).toBe(false);
    expect(
      recalculationFinished(fresh, { status: 'completed', started_at: '2026-08-04T15:00:02Z' }),
    ).toBe(true);
    expect(recalculationFinished(fresh, { status: 'not_found', started_at: null })).toBe(false);
  });
});
