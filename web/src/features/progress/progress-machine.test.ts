import { describe, expect, it } from 'vitest';
import type { OnboardingStatus } from '../../api/types.ts';
import {
  headlineOf,
  initialProgressState,
  leftOutReasons,
  phaseStatusText,
  progressReducer,
  type ProgressEvent,
  type ProgressState,
} from './progress-machine.ts';

const PHASES: OnboardingStatus['phases'] = [
  ['classify', 'Analyzing Portfolio', 'symbols'],
  ['symbol_processing', 'Processing New Symbols', 'symbols'],
  ['phase_4', 'Calculating P&L', 'positions'],
  ['phase_5', 'Aggregating Factors', 'factors'],
  ['phase_6', 'Running Stress Tests', 'scenarios'],
].map(([phase_id, phase_name, unit]) => ({
  phase_id: phase_id!,
  phase_name: phase_name!,
  status: 'pending' as const,
  current: 0,
  total: 0,
  unit: unit!,
  duration_seconds: null,
}));

function status(
  value: OnboardingStatus['status'],
  extra: Partial<OnboardingStatus> = {},
): OnboardingStatus {
  return {
    portfolio_id: '00000000-0000-4000-8000-000000000001',
    batch_run_id: value === 'not_found' ? null : '00000000-0000-4000-8000-000000000002',
    status: value,
    mode: 'fast',
    started_at: null,
    elapsed_seconds: null,
    overall_progress: {
      current_phase: null,
      current_phase_name: null,
      phases_completed: 0,
      phases_total: 5,
      percent_complete: 0,
    },
    current_phase_progress: null,
    phases: PHASES,
    activity_log: [],
    errors: [],
    ...extra,
  };
}

const T0 = 1_000_000;
const at = (seconds: number) => T0 + seconds * 1000;
const run = (events: ProgressEvent[], start = initialProgressState(T0)): ProgressState =>
  events.reduce(progressReducer, start);
const answer = (seconds: number, value: OnboardingStatus['status']): ProgressEvent => ({
  type: 'status',
  at: at(seconds),
  status: status(value),
});

describe('progress state machine: statuses', () => {
  it('starts waiting and polling, with no answer yet', () => {
    const s = initialProgressState(T0);
    expect(s).toMatchObject({ view: 'waiting', polling: true, answers: 0, instant: false });
    expect(headlineOf(s, 'Core')).toBe('Setting up Core');
  });

  it('queued and running keep polling; running is remembered', () => {
    const queued = run([answer(0, 'queued')]);
    expect(queued).toMatchObject({ view: 'running', polling: true, seenRunning: false });
    const running = run([answer(0, 'queued'), answer(2, 'running')]);
    expect(running).toMatchObject({ view: 'running', polling: true, seenRunning: true });
    expect(headlineOf(running, 'Core')).toBe('Setting up Core');
  });

  it.each([
    ['completed', 'Ready'],
    ['partial', 'Completed with warnings'],
    ['failed', 'Setup interrupted'],
  ] as const)('%s stops polling with the headline "%s"', (value, headline) => {
    const s = run([answer(0, 'running'), answer(2, value)]);
    expect(s).toMatchObject({ view: value, polling: false, instant: false });
    expect(headlineOf(s, 'Core')).toBe(headline);
  });

  it('instant completion: the first answer is already completed', () => {
    const s = run([answer(0, 'completed')]);
    expect(s).toMatchObject({ view: 'completed', polling: false, instant: true, answers: 1 });
    // Not instant when anything came before, even a not_found.
    expect(run([answer(0, 'not_found'), answer(2, 'completed')]).instant).toBe(false);
  });

  it('a transport error keeps polling and the last status, and clears on the next answer', () => {
    const s = run([
      answer(0, 'running'),
      { type: 'error', at: at(2), message: 'Could not reach the server' },
    ]);
    expect(s).toMatchObject({
      view: 'running',
      polling: true,
      connectionError: 'Could not reach the server',
    });
    expect(s.last?.status).toBe('running');
    expect(progressReducer(s, answer(4, 'running')).connectionError).toBeNull();
  });
});

describe('progress state machine: "status unavailable"', () => {
  const notFounds = (count: number, everySeconds: number, from = 0) =>
    Array.from({ length: count }, (_, i) => answer(from + i * everySeconds, 'not_found'));

  it('needs 5 consecutive not_found answers AND 10 s since polling began', () => {
    // 5 answers within 8 s: not yet.
    const early = run(notFounds(5, 2));
    expect(early).toMatchObject({ view: 'waiting', polling: true, consecutiveNotFound: 5 });
    // The 6th at 10 s: now.
    const late = run(notFounds(6, 2));
    expect(late).toMatchObject({ view: 'unavailable', polling: false });
    expect(headlineOf(late, 'Core')).toBe('Unable to fetch status updates');
    // 10 s but only 4 answers (slow network): not yet.
    expect(run(notFounds(4, 4)).view).toBe('waiting');
  });

  it('a 404 for the portfolio counts as not_found', () => {
    const events: ProgressEvent[] = Array.from({ length: 6 }, (_, i) => ({
      type: 'not_found',
      at: at(i * 2),
    }));
    expect(run(events).view).toBe('unavailable');
  });

  it('any other answer resets the consecutive count', () => {
    const s = run([...notFounds(4, 2), answer(8, 'queued'), ...notFounds(4, 2, 10)]);
    expect(s).toMatchObject({ consecutiveNotFound: 4, polling: true });
    expect(s.view).toBe('waiting');
  });

  it('never once running was seen', () => {
    const s = run([answer(0, 'running'), ...notFounds(10, 2, 2)]);
    expect(s).toMatchObject({ view: 'running', polling: true, seenRunning: true });
  });

  it('Refresh status resets the counters and the clock, and polls again', () => {
    const unavailable = run(notFounds(6, 2));
    const refreshed = progressReducer(unavailable, { type: 'refresh', at: at(30) });
    expect(refreshed).toMatchObject({
      view: 'waiting',
      polling: true,
      consecutiveNotFound: 0,
      startedAt: at(30),
    });
    // It takes the full rule again: 5 more not_found within 8 s are not enough.
    expect(run(notFounds(5, 2, 31), refreshed).view).toBe('waiting');
    expect(run(notFounds(6, 2, 31), refreshed).view).toBe('unavailable');
  });

  it('Retry starts over: a fresh run to follow, instant success possible again', () => {
    const failed = run([answer(0, 'running'), answer(2, 'failed')]);
    const retried = progressReducer(failed, { type: 'retry', at: at(5) });
    expect(retried).toMatchObject({
      view: 'waiting',
      polling: true,
      answers: 0,
      seenRunning: false,
    });
    expect(progressReducer(retried, answer(6, 'completed'))).toMatchObject({
      view: 'completed',
      instant: true,
    });
  });
});

describe('progress texts', () => {
  it('explains a skipped symbol phase and shows running progress', () => {
    expect(phaseStatusText({ ...PHASES[1]!, status: 'skipped' })).toBe(
      'skipped — every symbol already known',
    );
    expect(phaseStatusText({ ...PHASES[2]!, status: 'running', current: 3, total: 8 })).toBe(
      '3 / 8 positions',
    );
  });

  it('lists what a partial run left out: errors, then warning lines', () => {
    const s = status('partial', {
      errors: [
        {
          symbol: 'ZZZZ',
          portfolio_id: 'p',
          phase: 'symbol_processing',
          code: 'ERR_NO_DATA',
          message: 'no price data from the provider',
        },
      ],
      activity_log: [
        { timestamp: '2026-07-31T20:00:00Z', level: 'info', message: 'Classified 8 symbols' },
        {
          timestamp: '2026-07-31T20:00:01Z',
          level: 'warning',
          message: 'ZZZZ excluded from analytics: no prices',
        },
      ],
    });
    expect(leftOutReasons(s)).toEqual([
      'ZZZZ: no price data from the provider',
      'ZZZZ excluded from analytics: no prices',
    ]);
  });
});
