import { packDesign, type Design } from './cross-products.ts';
import {
  FACTOR_DEFINITIONS,
  RIDGE_ALPHA,
  factorWindow,
  type FactorDefinition,
} from './factor-definitions.ts';
import { observationColumns } from './mask-groups.ts';
import { prepareOls, type OlsSetup } from './ols-batch.ts';
import { jointMask, regressorSeries, type ReturnPanel } from './return-panel.ts';
import { prepareRidge, type RidgeSetup } from './ridge-batch.ts';

/**
 * The regressions of SPEC §3.1 and their per-window set-ups. Everything here depends on the
 * factor ETFs only, so it is built once per (window, gap pattern) and shared by every target
 * symbol with that pattern; in the common case (no gaps) once per window.
 */
export interface Regression {
  kind: 'ols' | 'ridge';
  /** Indices into FACTOR_DEFINITIONS this regression fills: one, or the six ridge factors. */
  definitions: number[];
  /** Per entry of `definitions`, the coefficient it reports (its etfProxy's regressor column). */
  coefficients: number[];
  regressors: readonly string[];
  spread: boolean;
  /** How error messages name the regressor (`SPY`, `VUG-VTV`). */
  label: string;
  window: number;
  minimum: number;
}

/** The 7 regressions behind the 12 computed factors: 2 OLS, 1 six-factor ridge, 4 spreads. */
export const REGRESSIONS: readonly Regression[] = buildRegressions(FACTOR_DEFINITIONS);

/** Regressions by window length, longest first. */
export const WINDOWS: readonly { window: number; regressions: readonly Regression[] }[] = [
  ...new Set(REGRESSIONS.map((r) => r.window)),
]
  .sort((a, b) => b - a)
  .map((window) => ({ window, regressions: REGRESSIONS.filter((r) => r.window === window) }));

/** Coefficients of the widest ridge: the size of its per-row output. */
export const RIDGE_K = Math.max(
  0,
  ...REGRESSIONS.filter((r) => r.kind === 'ridge').map((r) => r.regressors.length),
);

function buildRegressions(definitions: readonly FactorDefinition[]): Regression[] {
  const regressions: Regression[] = [];
  definitions.forEach((definition, index) => {
    const { window, minimum } = factorWindow(definition);
    const method = definition.calculationMethod;
    if (method === 'provider') return;
    const coefficient =
      method === 'ridge' ? definition.regressors.indexOf(definition.etfProxy!) : 0;
    if (coefficient < 0) throw new Error(`${definition.name}: etfProxy is not a regressor`);
    if (method === 'ridge') {
      const key = definition.regressors.join(',');
      const shared = regressions.find((r) => r.kind === 'ridge' && r.regressors.join(',') === key);
      if (shared) {
        shared.definitions.push(index);
        shared.coefficients.push(coefficient);
        return;
      }
    }
    regressions.push({
      kind: method === 'ridge' ? 'ridge' : 'ols',
      definitions: [index],
      coefficients: [coefficient],
      regressors: definition.regressors,
      spread: method === 'spread_ols',
      label: definition.regressors.join(method === 'ridge' ? ', ' : '-'),
      window,
      minimum,
    });
  });
  return regressions;
}

/** One window's regressors: per regression, the joint validity mask and the regressor series. */
export interface RegressorWindow {
  regressions: readonly Regression[];
  /** Panel column where the window starts (masks and series are indexed from here). */
  colStart: number;
  masks: Uint8Array[];
  series: Float64Array[][];
}

export function regressorWindow(
  etfs: ReturnPanel,
  regressions: readonly Regression[],
  colStart: number,
  colEnd: number,
): RegressorWindow {
  return {
    regressions,
    colStart,
    masks: regressions.map((r) => jointMask(etfs, r.regressors, colStart, colEnd)),
    series: regressions.map((r) => regressorSeries(etfs, r.regressors, r.spread, colStart, colEnd)),
  };
}

/** A regression ready to finish targets: where its columns sit in the design, and its set-up. */
export type PreparedFit =
  | { regression: Regression; offset: number; kind: 'ols'; setup: OlsSetup }
  | { regression: Regression; offset: number; kind: 'ridge'; setup: RidgeSetup };

/** Regressions sharing one set of observation dates, fused into one design. */
export interface PreparedBucket {
  /** Observations: every target in the bucket has exactly these return dates. */
  n: number;
  design: Design;
  fits: PreparedFit[];
  /** Regressions with n below their minimum: insufficient_history for every target. */
  short: Regression[];
}

/**
 * The set-ups of a window for targets whose gaps are `groupMask` (null: no gap). Regressions whose
 * observation dates coincide (all of them, unless a factor ETF has a gap) share one design.
 */
export function prepareWindow(
  window: RegressorWindow,
  groupMask: Uint8Array | null,
): PreparedBucket[] {
  const buckets: { columns: Int32Array; members: number[] }[] = [];
  window.regressions.forEach((_, index) => {
    const columns = observationColumns(window.masks[index]!, groupMask, window.colStart);
    const bucket = buckets.find((b) => sameColumns(b.columns, columns));
    if (bucket) bucket.members.push(index);
    else buckets.push({ columns, members: [index] });
  });
  return buckets.map(({ columns, members }) => {
    const n = columns.length;
    const parts: Float64Array[] = [];
    const fits: PreparedFit[] = [];
    const short: Regression[] = [];
    for (const index of members) {
      const regression = window.regressions[index]!;
      if (n < regression.minimum) {
        short.push(regression);
        continue;
      }
      const x = window.series[index]!.map((s) => gather(s, columns, window.colStart));
      const offset = parts.length;
      if (regression.kind === 'ols') {
        const setup = prepareOls(x[0]!, columns);
        parts.push(setup.xc);
        fits.push({ regression, offset, kind: 'ols', setup });
      } else {
        const setup = prepareRidge(x, columns, RIDGE_ALPHA);
        parts.push(...setup.z);
        fits.push({ regression, offset, kind: 'ridge', setup });
      }
    }
    return { n, design: packDesign(columns, parts), fits, short };
  });
}

function sameColumns(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function gather(series: Float64Array, columns: Int32Array, colStart: number): Float64Array {
  const out = new Float64Array(columns.length);
  for (let i = 0; i < columns.length; i++) out[i] = series[columns[i]! - colStart]!;
  return out;
}
