import { crossProducts, crossProductsDense } from './cross-products.ts';
import { FACTOR_DEFINITIONS, FACTOR_ETFS } from './factor-definitions.ts';
import {
  KERNEL_OK,
  KERNEL_ZERO_VARIANCE_REGRESSOR,
  KERNEL_ZERO_VARIANCE_TARGET,
} from './kernel-status.ts';
import { groupRowsByMask } from './mask-groups.ts';
import { finishOls } from './ols-batch.ts';
import { buildReturnPanel, fillReturns, windowStart } from './return-panel.ts';
import { createRidgeBatchOutput, finishRidge, type RidgeBatchOutput } from './ridge-batch.ts';
import {
  RIDGE_K,
  WINDOWS,
  prepareWindow,
  regressorWindow,
  type PreparedBucket,
  type Regression,
  type RegressorWindow,
} from './window-plan.ts';

/**
 * Runs every regression of SPEC §3.1 for many target symbols on one calculation date.
 *
 * The set-ups (regressor means, Sxx, ZᵀZ + αI and its Cholesky factor), fused per window into one
 * design — [SPY, TLT, Z_MTUM … Z_USMV] over 90 days, the 4 spreads over 180 — are built once.
 * Then each symbol's returns are computed into a small scratch array that stays in L1 cache, and
 * a symbol without gaps costs one crossProducts pass per window plus the finishing arithmetic.
 * Symbols with gaps in a window are set aside and fitted afterwards in groups sharing one gap
 * pattern (mask-groups.ts), each group with set-ups of its own.
 */

export const SLOT_EMPTY = 0;
export const SLOT_RESULT = 1;
export const SLOT_INSUFFICIENT = 2;
export const SLOT_ERROR = 3;

/** One factor's outcome for every target (also the OLS finishing output, hence `status`). */
export interface FactorSlots {
  state: Uint8Array;
  beta: Float64Array;
  rSquared: Float64Array;
  /** NaN where the method has no standard error (ridge). */
  stdError: Float64Array;
  /** Kernel status (kernel-status.ts) of targets that reached a kernel. */
  status: Uint8Array;
  observations: Int32Array;
  reasons: Map<number, string>;
}

function createSlots(targets: number): FactorSlots {
  return {
    state: new Uint8Array(targets),
    beta: new Float64Array(targets).fill(NaN),
    rSquared: new Float64Array(targets).fill(NaN),
    stdError: new Float64Array(targets).fill(NaN),
    status: new Uint8Array(targets),
    observations: new Int32Array(targets),
    reasons: new Map(),
  };
}

/** Where finished fits are written. */
interface Sink {
  slots: FactorSlots[];
  ridge: RidgeBatchOutput;
  w: Float64Array;
}

/**
 * Outcomes per FACTOR_DEFINITIONS index (the provider slot stays empty) for `targets`, on the
 * windows ending at calendar index `end` (−1: no session ≤ the calculation date).
 */
export function evaluateRegressions(
  closes: ReadonlyMap<string, Float64Array>,
  targets: readonly string[],
  end: number,
): FactorSlots[] {
  const count = targets.length;
  const sink: Sink = {
    slots: FACTOR_DEFINITIONS.map(() => createSlots(count)),
    ridge: createRidgeBatchOutput(count, RIDGE_K),
    w: new Float64Array(RIDGE_K),
  };
  if (end < 0) {
    for (const { regressions } of WINDOWS) {
      for (const regression of regressions) {
        for (let t = 0; t < count; t++) markInsufficient(sink, regression, t, 0);
      }
    }
    return sink.slots;
  }

  // Returns are computed over the longest window; each window is a suffix of that span.
  const from = windowStart(end, WINDOWS[0]!.window);
  const span = end - from + 1;
  const etfs = buildReturnPanel(closes, FACTOR_ETFS, from, end);
  const windows: WindowWork[] = WINDOWS.map(({ window, regressions }) => {
    const colStart = windowStart(end, window) - from;
    const regressors = regressorWindow(etfs, regressions, colStart, span);
    return { colStart, regressors, full: prepareWindow(regressors, null), gapped: [] as number[] };
  });

  const scratch: Scratch = {
    returns: new Float64Array(span),
    gathered: new Float64Array(span),
    g: new Float64Array(Math.max(...windows.flatMap((w) => w.full.map((b) => b.design.width)))),
  };
  for (let t = 0; t < count; t++) fitSymbol(sink, scratch, closes, targets[t]!, t, from, windows);

  for (const window of windows) {
    if (window.gapped.length > 0) fitGapped(sink, closes, targets, window, from, end);
  }
  return sink.slots;
}

/** Per-symbol work arrays, allocated once per date and small enough to stay in L1 cache. */
interface Scratch {
  returns: Float64Array;
  gathered: Float64Array;
  g: Float64Array;
}

interface WindowWork {
  colStart: number;
  regressors: RegressorWindow;
  /** The set-ups for targets without gaps in the window. */
  full: PreparedBucket[];
  /** Targets with a gap in the window, fitted afterwards by fitGapped. */
  gapped: number[];
}

/**
 * One target on the no-gap path: its returns into scratch, then per window one crossProducts
 * pass and the finishing arithmetic. A function of its own (not the body of evaluateRegressions'
 * loop) so V8 optimises it once and keeps it: a long loop inside a once-per-date function gets
 * on-stack-replaced, then deoptimised when it first reaches the code after the loop.
 */
function fitSymbol(
  sink: Sink,
  scratch: Scratch,
  closes: ReadonlyMap<string, Float64Array>,
  symbol: string,
  t: number,
  from: number,
  windows: readonly WindowWork[],
): void {
  const { returns, gathered, g } = scratch;
  const lastGap = fillReturns(closes.get(symbol), symbol, from, returns.length, returns, 0);
  for (const window of windows) {
    if (lastGap >= window.colStart) {
      window.gapped.push(t);
      continue;
    }
    for (const bucket of window.full) {
      for (const regression of bucket.short) markInsufficient(sink, regression, t, bucket.n);
      if (bucket.fits.length === 0) continue;
      const { design } = bucket;
      let syy: number;
      if (design.contiguous) {
        syy = crossProductsDense(design, returns, design.columns[0] ?? 0, g, 0);
      } else {
        for (let i = 0; i < bucket.n; i++) gathered[i] = returns[design.columns[i]!]!;
        syy = crossProductsDense(design, gathered, 0, g, 0);
      }
      finishBucket(sink, bucket, g, 0, syy, t);
    }
  }
}

/** Targets with gaps in the window, fitted per gap pattern on a panel of just those symbols. */
function fitGapped(
  sink: Sink,
  closes: ReadonlyMap<string, Float64Array>,
  targets: readonly string[],
  window: WindowWork,
  from: number,
  end: number,
): void {
  // Panel row i is target gapped[i] (duplicates were removed by the caller).
  const panel = buildReturnPanel(
    closes,
    window.gapped.map((t) => targets[t]!),
    from,
    end,
  );
  const rows = Int32Array.from(window.gapped.keys());
  for (const group of groupRowsByMask(panel, rows, window.colStart, panel.columns)) {
    for (const bucket of prepareWindow(window.regressors, group.mask)) {
      for (const row of group.rows) {
        for (const regression of bucket.short) {
          markInsufficient(sink, regression, window.gapped[row]!, bucket.n);
        }
      }
      if (bucket.fits.length === 0) continue;
      const width = bucket.design.width;
      const g = new Float64Array(group.rows.length * width);
      const syy = new Float64Array(group.rows.length);
      crossProducts(bucket.design, panel.values, panel.columns, group.rows, g, syy);
      for (let r = 0; r < group.rows.length; r++) {
        finishBucket(sink, bucket, g, r * width, syy[r]!, window.gapped[group.rows[r]!]!);
      }
    }
  }
}

/** Finishes every regression of a bucket for target `t` from its cross-products. */
function finishBucket(
  sink: Sink,
  bucket: PreparedBucket,
  g: Float64Array,
  gOffset: number,
  syy: number,
  t: number,
): void {
  const { slots, ridge, w } = sink;
  for (const fit of bucket.fits) {
    const { regression } = fit;
    if (fit.kind === 'ols') {
      const slot = slots[regression.definitions[0]!]!;
      finishOls(fit.setup, g[gOffset + fit.offset]!, syy, slot, t);
      settle(slot, t, bucket.n, slot.status[t]!, regression.label);
      continue;
    }
    const setup = fit.setup;
    finishRidge(setup, g, gOffset + fit.offset, syy, ridge, t, w);
    const status = ridge.status[t]!;
    const culprit =
      setup.zeroVarianceRegressor >= 0
        ? regression.regressors[setup.zeroVarianceRegressor]!
        : regression.label;
    for (let d = 0; d < regression.definitions.length; d++) {
      const slot = slots[regression.definitions[d]!]!;
      slot.beta[t] = ridge.beta[t * setup.k + regression.coefficients[d]!]!;
      slot.rSquared[t] = ridge.rSquared[t]!;
      slot.status[t] = status;
      settle(slot, t, bucket.n, status, culprit);
    }
  }
}

/** Records a kernel's verdict for one target: a result, or an error with a readable reason. */
function settle(slot: FactorSlots, t: number, n: number, status: number, regressor: string) {
  slot.observations[t] = n;
  if (status === KERNEL_OK) {
    slot.state[t] = SLOT_RESULT;
    return;
  }
  slot.state[t] = SLOT_ERROR;
  slot.reasons.set(t, failureReason(status, regressor, n));
}

function markInsufficient(sink: Sink, regression: Regression, t: number, observations: number) {
  for (const definition of regression.definitions) {
    const slot = sink.slots[definition]!;
    slot.state[t] = SLOT_INSUFFICIENT;
    slot.observations[t] = observations;
  }
}

function failureReason(status: number, regressor: string, n: number): string {
  switch (status) {
    case KERNEL_ZERO_VARIANCE_REGRESSOR:
      return `${regressor} returns are constant over the ${n} observations; the beta is undefined`;
    case KERNEL_ZERO_VARIANCE_TARGET:
      return `the symbol's returns are constant over the ${n} observations (unchanged price); R² is undefined`;
    default:
      return `the regression on ${regressor} gave a non-finite result over ${n} observations`;
  }
}
