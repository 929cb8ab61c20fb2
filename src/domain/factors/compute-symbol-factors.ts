import {
  BETA_CLAMP,
  FACTOR_DEFINITIONS,
  FACTOR_ETFS,
  PROVIDER_BETA_WINDOW_DAYS,
  RIDGE_ALPHA,
  factorWindow,
  type FactorCalculationMethod,
} from './factor-definitions.ts';
import {
  SLOT_ERROR,
  SLOT_INSUFFICIENT,
  SLOT_RESULT,
  evaluateRegressions,
  type FactorSlots,
} from './evaluate-regressions.ts';
import type {
  FactorError,
  FactorResult,
  InsufficientHistory,
  SymbolFactorsOutput,
} from './factor-result.ts';
import { lastSessionAtOrBefore } from './return-panel.ts';

/**
 * The 13 factors of SPEC §3.1 for many symbols at once: phase 3 of the symbol batch. The window
 * rules are written at the top of return-panel.ts; the batching (one fused set-up per window and
 * gap pattern, shared by every symbol with that pattern) is in evaluate-regressions.ts.
 */

/** A beta published by the market-data provider; echoed, not computed. */
export interface ProviderBeta {
  beta: number;
  /** Where it came from, e.g. `yahoo` or `sample:5y-monthly-vs-SPY`. */
  source: string;
  observations?: number;
  /** Defaults to 252, the "1Y" of the factor's name. */
  windowDays?: number;
}

export interface ComputeSymbolFactorsInput {
  /** Trading sessions, ascending and unique; every close series is aligned to it. */
  dates: readonly string[];
  /** Adjusted closes per symbol (targets and factor ETFs); NaN = no close that session. */
  closes: ReadonlyMap<string, Float64Array>;
  /** The target symbols; duplicates are computed once. */
  symbols: readonly string[];
  calculationDate: string;
  providerBetas?: ReadonlyMap<string, ProviderBeta>;
}

export type ComputeSymbolFactorsForDatesInput = Omit<
  ComputeSymbolFactorsInput,
  'calculationDate'
> & {
  calculationDates: readonly string[];
};

export type {
  FactorError,
  FactorResult,
  InsufficientHistory,
  SymbolFactorsOutput,
} from './factor-result.ts';

/** The 13 factors of every target symbol on one calculation date. */
export function computeSymbolFactors(input: ComputeSymbolFactorsInput): SymbolFactorsOutput {
  const { calculationDate, ...rest } = input;
  const byDate = computeSymbolFactorsForDates({ ...rest, calculationDates: [calculationDate] });
  return byDate.get(calculationDate) as SymbolFactorsOutput;
}

/**
 * The same for several calculation dates (e.g. a back-fill), keyed by calculation date. Each
 * date runs its own batched regressions; the inputs are validated once.
 */
export function computeSymbolFactorsForDates(
  input: ComputeSymbolFactorsForDatesInput,
): Map<string, SymbolFactorsOutput> {
  const { dates, closes, providerBetas } = input;
  const targets = [...new Set(input.symbols)];
  // A series of another length is misaligned with the calendar: every return would be wrong.
  for (const symbol of [...targets, ...FACTOR_ETFS]) {
    const series = closes.get(symbol);
    if (series !== undefined && series.length !== dates.length) {
      throw new RangeError(`${symbol} has ${series.length} closes for ${dates.length} dates`);
    }
  }
  const out = new Map<string, SymbolFactorsOutput>();
  for (const date of input.calculationDates) {
    if (out.has(date)) continue;
    const slots = evaluateRegressions(closes, targets, lastSessionAtOrBefore(dates, date));
    out.set(date, assemble(targets, slots, providerBetas));
  }
  return out;
}

/** What the read-back needs of each definition, looked up once rather than per row. */
const OUTPUT_SPECS = FACTOR_DEFINITIONS.map((definition) => ({
  name: definition.name,
  method: definition.calculationMethod,
  window: factorWindow(definition).window,
  minimum: factorWindow(definition).minimum,
  alpha: definition.calculationMethod === 'ridge' ? RIDGE_ALPHA : null,
  hasStdError:
    definition.calculationMethod === 'ols' || definition.calculationMethod === 'spread_ols',
}));

/** Reads the slots back as rows: per symbol in input order, factors in display order. */
function assemble(
  targets: readonly string[],
  slots: readonly FactorSlots[],
  providerBetas: ReadonlyMap<string, ProviderBeta> | undefined,
): SymbolFactorsOutput {
  const results: FactorResult[] = [];
  const insufficient: InsufficientHistory[] = [];
  const errors: FactorError[] = [];
  for (let row = 0; row < targets.length; row++) {
    const symbol = targets[row] as string;
    for (let index = 0; index < OUTPUT_SPECS.length; index++) {
      const spec = OUTPUT_SPECS[index]!;
      if (spec.method === 'provider') {
        const provided = providerBetas?.get(symbol);
        if (provided === undefined) continue;
        if (!Number.isFinite(provided.beta)) {
          const reason = `provider beta (${provided.source}) is not a finite number: ${provided.beta}`;
          errors.push({ symbol, factor: spec.name, reason });
          continue;
        }
        results.push(
          resultRow(
            symbol,
            spec.name,
            provided.beta,
            null,
            null,
            provided.observations ?? 0,
            'provider',
            null,
            provided.windowDays ?? PROVIDER_BETA_WINDOW_DAYS,
          ),
        );
        continue;
      }
      const slot = slots[index]!;
      const state = slot.state[row];
      const observations = slot.observations[row]!;
      if (state === SLOT_RESULT) {
        results.push(
          resultRow(
            symbol,
            spec.name,
            slot.beta[row]!,
            slot.rSquared[row]!,
            spec.hasStdError ? slot.stdError[row]! : null,
            observations,
            spec.method,
            spec.alpha,
            spec.window,
          ),
        );
      } else if (state === SLOT_INSUFFICIENT) {
        insufficient.push({ symbol, factor: spec.name, observations, required: spec.minimum });
      } else if (state === SLOT_ERROR) {
        errors.push({
          symbol,
          factor: spec.name,
          reason: slot.reasons.get(row) ?? 'unknown error',
        });
      }
    }
  }
  return { results, insufficient, errors };
}

/**
 * One result object, always built with the same keys in the same order (one hidden class). The
 * ±5 clamp bounds believable exposures, not the fit: R² and the standard error stay the fit's.
 */
function resultRow(
  symbol: string,
  factorName: string,
  rawBeta: number,
  rSquared: number | null,
  stdError: number | null,
  observations: number,
  calculationMethod: FactorCalculationMethod,
  regularizationAlpha: number | null,
  windowDays: number,
): FactorResult {
  const clamped = rawBeta > BETA_CLAMP || rawBeta < -BETA_CLAMP;
  return {
    symbol,
    factorName,
    beta: clamped ? Math.sign(rawBeta) * BETA_CLAMP : rawBeta,
    rSquared,
    stdError,
    observations,
    calculationMethod,
    regularizationAlpha,
    windowDays,
    qualityFlag: clamped ? 'clamped' : 'ok',
  };
}
