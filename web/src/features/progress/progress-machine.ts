/**
 * The progress page's polling logic as a pure state machine: every answer of
 * GET /onboarding/status/{id} (or a failed request) is an event; the state says what the page
 * shows and whether to keep polling. No timers or I/O here, so every rule is unit-tested.
 */
import type { OnboardingStatus } from '../../api/types.ts';

export type StatusValue = OnboardingStatus['status'];
export type FinishedStatus = 'completed' | 'partial' | 'failed';

/** What the page shows. */
export type ProgressView =
  | 'waiting' // nothing but not_found so far (the job may not have been picked up yet)
  | 'running' // queued or running
  | FinishedStatus
  | 'unavailable'; // not_found for too long: "Unable to fetch status updates"

/** "Status unavailable" needs all three: this many not_found answers in a row… */
export const UNAVAILABLE_MIN_NOT_FOUND = 5;
/** …at least this long since polling began… */
export const UNAVAILABLE_MIN_ELAPSED_MS = 10_000;
/** …and `running` never seen. */

export const POLL_INTERVAL_MS = 2000;

export interface ProgressState {
  view: ProgressView;
  polling: boolean;
  /** When polling (re)started: the page opened, Refresh status, or a retried calculation. */
  startedAt: number;
  consecutiveNotFound: number;
  seenRunning: boolean;
  /** Answers received since polling (re)started. */
  answers: number;
  /** The first answer was already finished: show the success state without a spinner. */
  instant: boolean;
  /** The latest status document (kept through not_found blips and errors). */
  last: OnboardingStatus | null;
  /** The latest transport error, cleared by the next answer; polling continues meanwhile. */
  connectionError: string | null;
}

export type ProgressEvent =
  | { type: 'status'; at: number; status: OnboardingStatus }
  /** The portfolio itself answered 404 (deleted, or never existed): counts as not_found. */
  | { type: 'not_found'; at: number }
  | { type: 'error'; at: number; message: string }
  /** "Refresh status": counters reset, polling resumes. */
  | { type: 'refresh'; at: number }
  /** A new calculation was started (Retry): a fresh run to follow. */
  | { type: 'retry'; at: number };

export function initialProgressState(at: number): ProgressState {
  return {
    view: 'waiting',
    polling: true,
    startedAt: at,
    consecutiveNotFound: 0,
    seenRunning: false,
    answers: 0,
    instant: false,
    last: null,
    connectionError: null,
  };
}

function isFinished(status: StatusValue): status is FinishedStatus {
  return status === 'completed' || status === 'partial' || status === 'failed';
}

function onNotFound(state: ProgressState, at: number): ProgressState {
  const consecutiveNotFound = state.consecutiveNotFound + 1;
  const unavailable =
    consecutiveNotFound >= UNAVAILABLE_MIN_NOT_FOUND &&
    at - state.startedAt >= UNAVAILABLE_MIN_ELAPSED_MS &&
    !state.seenRunning;
  return {
    ...state,
    consecutiveNotFound,
    answers: state.answers + 1,
    connectionError: null,
    // A not_found after running was seen is a blip: keep showing the run.
    view: unavailable ? 'unavailable' : state.seenRunning ? state.view : 'waiting',
    polling: !unavailable,
  };
}

export function progressReducer(state: ProgressState, event: ProgressEvent): ProgressState {
  switch (event.type) {
    case 'status': {
      const { status } = event;
      if (status.status === 'not_found') return onNotFound(state, event.at);
      const base = {
        ...state,
        last: status,
        consecutiveNotFound: 0,
        answers: state.answers + 1,
        connectionError: null,
      };
      if (isFinished(status.status)) {
        return { ...base, view: status.status, polling: false, instant: state.answers === 0 };
      }
      return {
        ...base,
        view: 'running',
        polling: true,
        seenRunning: state.seenRunning || status.status === 'running',
      };
    }
    case 'not_found':
      return onNotFound(state, event.at);
    case 'error':
      return { ...state, connectionError: event.message };
    case 'refresh':
      return {
        ...state,
        view: state.view === 'unavailable' ? 'waiting' : state.view,
        polling: true,
        startedAt: event.at,
        consecutiveNotFound: 0,
        connectionError: null,
      };
    case 'retry':
      return { ...initialProgressState(event.at), last: state.last };
  }
}

/** The page's headline for a state. */
export function headlineOf(state: ProgressState, portfolioName: string): string {
  switch (state.view) {
    case 'waiting':
    case 'running':
      return `Setting up ${portfolioName}`;
    case 'completed':
      return 'Ready';
    case 'partial':
      return 'Completed with warnings';
    case 'failed':
      return 'Setup interrupted';
    case 'unavailable':
      return 'Unable to fetch status updates';
  }
}

/** What a partial run left out and why: its errors, then the warning lines of its log. */
export function leftOutReasons(status: OnboardingStatus | null): string[] {
  if (!status) return [];
  const reasons = status.errors.map((e) => (e.symbol ? `${e.symbol}: ${e.message}` : e.message));
  for (const line of status.activity_log) {
    if (line.level !== 'info' && !reasons.includes(line.message)) reasons.push(line.message);
  }
  return reasons;
}

/** A phase's status in words (`skipped` explained). */
export function phaseStatusText(phase: OnboardingStatus['phases'][number]): string {
  switch (phase.status) {
    case 'skipped':
      return phase.phase_id === 'symbol_processing'
        ? 'skipped — every symbol already known'
        : 'skipped — nothing to do';
    case 'pending':
      return 'waiting';
    case 'running':
      return phase.total > 0 ? `${phase.current} / ${phase.total} ${phase.unit}` : 'running';
    case 'completed':
      return 'done';
    case 'failed':
      return 'failed';
  }
}
