import type { IsoDate } from '../dates.ts';
import {
  checkDuration,
  DEFAULT_TLT_DURATION,
  factorValuesFromEtfValues,
  STRESS_FACTOR_ETFS,
  STRESS_FACTORS,
  yieldChangeToTltReturn,
  type StressFactor,
} from './stress-factors.ts';

/**
 * The 22 built-in scenarios of SPEC §6 as data, and how any scenario (built-in or a user's)
 * becomes the moves of the factor series.
 *
 * A **hypothetical** scenario states shocks: Market as the SPY return, a style factor as how far
 * its ETF beats (+) or trails (−) SPY, Rates as a change in yield Δy. A **replay** states a
 * window of history; its shocks are the realized moves from the close of the first day to the
 * close of the last, and a factor whose ETF has no close on both days is left unshocked (the
 * correlated result then moves it by its conditional expectation).
 *
 * Severity is graded by the largest single move of a factor series (rates converted at the
 * default TLT duration of 17.5): mild ≤ 5% < moderate ≤ 15% < severe ≤ 30% < extreme. Historical
 * replays are extreme by definition; the volatility scenarios are graded severe for what they
 * stand for (a VIX spike, a liquidity crisis), not for the size of their market leg alone.
 */

export type StressCategory = 'market' | 'rates' | 'style' | 'volatility' | 'historical' | 'custom';
export type StressSeverity = 'mild' | 'moderate' | 'severe' | 'extreme';

export interface StressWindow {
  start: IsoDate;
  end: IsoDate;
}

/** Factor → shock: the factor-series move, except Rates which is a yield change Δy (decimals). */
export type ScenarioShocks = Partial<Record<StressFactor, number>>;

interface ScenarioBase {
  id: string;
  name: string;
  description: string;
  category: StressCategory;
  severity: StressSeverity;
}

export interface HypotheticalScenario extends ScenarioBase {
  shocks: ScenarioShocks;
  window?: undefined;
}

export interface ReplayScenario extends ScenarioBase {
  window: StressWindow;
  shocks?: undefined;
}

export type StressScenario = HypotheticalScenario | ReplayScenario;

/** One shocked factor: its index in STRESS_FACTORS and the move of its series (decimal). */
export interface FactorMove {
  factor: StressFactor;
  index: number;
  value: number;
}

/** A scenario ready to evaluate: what it is, and the moves of the factors it shocks. */
export interface ResolvedScenario {
  id: string;
  name: string;
  description: string;
  category: StressCategory;
  severity: StressSeverity;
  window: StressWindow | null;
  custom: boolean;
  moves: FactorMove[];
}

const hypothetical = (
  id: string,
  name: string,
  category: StressCategory,
  severity: StressSeverity,
  shocks: ScenarioShocks,
  description: string,
): HypotheticalScenario => ({ id, name, description, category, severity, shocks });

const replay = (
  id: string,
  name: string,
  window: StressWindow,
  description: string,
): ReplayScenario => ({
  id,
  name,
  description,
  category: 'historical',
  severity: 'extreme',
  window,
});

export const STRESS_SCENARIOS: readonly StressScenario[] = [
  hypothetical(
    'market_up_5',
    'Market Up 5%',
    'market',
    'mild',
    { Market: 0.05 },
    'The US equity market (SPY) rises 5%.',
  ),
  hypothetical(
    'market_down_5',
    'Market Down 5%',
    'market',
    'mild',
    { Market: -0.05 },
    'The US equity market (SPY) falls 5%.',
  ),
  hypothetical(
    'market_up_10',
    'Market Up 10%',
    'market',
    'moderate',
    { Market: 0.1 },
    'The US equity market (SPY) rises 10%.',
  ),
  hypothetical(
    'market_down_10',
    'Market Down 10%',
    'market',
    'moderate',
    { Market: -0.1 },
    'A correction: SPY falls 10%.',
  ),
  hypothetical(
    'market_rally_25',
    'Market Rally 25%',
    'market',
    'severe',
    { Market: 0.25 },
    'A strong bull move: SPY rises 25%.',
  ),
  hypothetical(
    'market_crash_35',
    'Market Crash 35%',
    'market',
    'extreme',
    { Market: -0.35 },
    'A bear-market crash: SPY falls 35%.',
  ),
  hypothetical(
    'rates_up_25bp',
    'Rates Up 25bp',
    'rates',
    'mild',
    { Rates: 0.0025 },
    'Long Treasury yields rise 0.25 percentage points.',
  ),
  hypothetical(
    'rates_down_25bp',
    'Rates Down 25bp',
    'rates',
    'mild',
    { Rates: -0.0025 },
    'Long Treasury yields fall 0.25 percentage points.',
  ),
  hypothetical(
    'rates_up_50bp',
    'Rates Up 50bp',
    'rates',
    'moderate',
    { Rates: 0.005 },
    'Long Treasury yields rise 0.50 percentage points.',
  ),
  hypothetical(
    'rates_down_50bp',
    'Rates Down 50bp',
    'rates',
    'moderate',
    { Rates: -0.005 },
    'Long Treasury yields fall 0.50 percentage points.',
  ),
  hypothetical(
    'rates_up_100bp',
    'Rates Up 100bp',
    'rates',
    'severe',
    { Rates: 0.01 },
    'Long Treasury yields rise 1 percentage point.',
  ),
  hypothetical(
    'rates_down_100bp',
    'Rates Down 100bp',
    'rates',
    'severe',
    { Rates: -0.01 },
    'Long Treasury yields fall 1 percentage point.',
  ),
  hypothetical(
    'rate_spike_300bp',
    'Rate Spike 300bp',
    'rates',
    'extreme',
    { Rates: 0.03 },
    'An inflation shock: long Treasury yields jump 3 percentage points.',
  ),
  hypothetical(
    'value_rotation_20',
    'Value Rotation',
    'style',
    'moderate',
    { Value: 0.1, Growth: -0.1 },
    'Money rotates from growth into value: value beats the market by 10 points and growth trails it by 10, a 20-point spread.',
  ),
  hypothetical(
    'growth_rally_15',
    'Growth Rally',
    'style',
    'moderate',
    { Growth: 0.15, Momentum: 0.1 },
    'Growth and momentum lead: growth beats the market by 15 points, momentum by 10.',
  ),
  hypothetical(
    'small_cap_outperformance_10',
    'Small-Cap Outperformance',
    'style',
    'moderate',
    { Size: 0.1 },
    'Small caps (IWM) beat the market by 10 points.',
  ),
  hypothetical(
    'quality_flight_12',
    'Flight to Quality',
    'style',
    'moderate',
    { Market: -0.05, Quality: 0.12 },
    'Investors seek safety: the market falls 5% and quality beats it by 12 points.',
  ),
  hypothetical(
    'vix_spike_150',
    'VIX Spike 150%',
    'volatility',
    'severe',
    { Market: -0.15 },
    'Implied volatility jumps 150%: the market falls 15%; every other factor moves as it typically does with such a fall.',
  ),
  hypothetical(
    'liquidity_crisis',
    'Liquidity Crisis',
    'volatility',
    'severe',
    { Market: -0.2, Size: -0.1, Quality: 0.15 },
    'Forced selling: the market falls 20%, small caps trail it by 10 points, quality beats it by 15.',
  ),
  replay(
    'financial_crisis_2008',
    '2008 Financial Crisis',
    { start: '2008-09-15', end: '2009-03-13' },
    'A replay of Lehman Brothers to the trough month: the factor moves realized from 2008-09-15 to 2009-03-13.',
  ),
  replay(
    'covid_crash_2020',
    'COVID Crash 2020',
    { start: '2020-02-19', end: '2020-03-23' },
    'A replay of the February–March 2020 crash: the factor moves realized from 2020-02-19 to 2020-03-23.',
  ),
  replay(
    'dotcom_crash_2000',
    'Dot-com Crash 2000',
    { start: '2000-03-10', end: '2002-10-09' },
    'A replay of the 2000–2002 tech bust: the factor moves realized from 2000-03-10 to 2002-10-09.',
  ),
];

export function findScenario(id: string): StressScenario | undefined {
  return STRESS_SCENARIOS.find((s) => s.id === id);
}

/** A hypothetical scenario's shocks as factor-series moves (Rates: Δy → −D·Δy of TLT). */
export function movesFromShocks(
  shocks: ScenarioShocks,
  duration: number = DEFAULT_TLT_DURATION,
): FactorMove[] {
  checkDuration(duration);
  const moves: FactorMove[] = [];
  STRESS_FACTORS.forEach((factor, index) => {
    const raw = shocks[factor];
    if (raw === undefined) return;
    if (!Number.isFinite(raw)) throw new RangeError(`shock for ${factor} is not finite`);
    moves.push({
      factor,
      index,
      value: factor === 'Rates' ? yieldChangeToTltReturn(raw, duration) : raw,
    });
  });
  return moves;
}

/** A close of `etf` on exactly `date`, or undefined when none is stored. */
export type CloseOn = (etf: string, date: IsoDate) => number | undefined;

/**
 * The realized factor moves over a window: each ETF's close-to-close return, style factors
 * relative to SPY's. A factor whose ETF (or, for a style, SPY) lacks a close on either day is
 * not shocked.
 */
export function movesFromWindow(window: StressWindow, closeOn: CloseOn): FactorMove[] {
  const etfMoves = STRESS_FACTORS.map((factor) => {
    const etf = STRESS_FACTOR_ETFS[factor];
    const first = closeOn(etf, window.start);
    const last = closeOn(etf, window.end);
    return first !== undefined && last !== undefined && first > 0 && last > 0
      ? last / first - 1
      : NaN;
  });
  const values = factorValuesFromEtfValues(etfMoves);
  const moves: FactorMove[] = [];
  STRESS_FACTORS.forEach((factor, index) => {
    const value = values[index] as number;
    if (Number.isFinite(value)) moves.push({ factor, index, value });
  });
  return moves;
}

/** mild ≤ 5% < moderate ≤ 15% < severe ≤ 30% < extreme, by the largest factor-series move. */
export function severityOfMoves(moves: readonly FactorMove[]): StressSeverity {
  const largest = Math.max(0, ...moves.map((m) => Math.abs(m.value)));
  if (largest <= 0.05) return 'mild';
  if (largest <= 0.15) return 'moderate';
  if (largest <= 0.3) return 'severe';
  return 'extreme';
}

/** A built-in scenario resolved: shocks converted, or the window's realized moves looked up. */
export function resolveScenario(
  scenario: StressScenario,
  options: { closeOn?: CloseOn; duration?: number } = {},
): ResolvedScenario {
  const moves =
    scenario.window === undefined
      ? movesFromShocks(scenario.shocks, options.duration)
      : movesFromWindow(scenario.window, options.closeOn ?? (() => undefined));
  return {
    id: scenario.id,
    name: scenario.name,
    description: scenario.description,
    category: scenario.category,
    severity: scenario.severity,
    window: scenario.window ?? null,
    custom: false,
    moves,
  };
}

/** Every replay window's (ETF, date) closes a resolution needs. */
export function replayCloseKeys(scenarios: readonly StressScenario[]): {
  etfs: string[];
  dates: IsoDate[];
} {
  const dates = new Set<IsoDate>();
  for (const s of scenarios) {
    if (s.window) {
      dates.add(s.window.start);
      dates.add(s.window.end);
    }
  }
  return { etfs: Object.values(STRESS_FACTOR_ETFS), dates: [...dates].sort() };
}
