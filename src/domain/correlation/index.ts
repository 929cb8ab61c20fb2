export {
  computeCorrelationMatrix,
  CORRELATION_DEFAULTS,
  effectiveCount,
  GOOD_COVERAGE,
} from './compute-correlation-matrix.ts';
export { pairwisePearson } from './pairwise-pearson.ts';
export type { PairwisePearson } from './pairwise-pearson.ts';
export { countFinite, returnWindow, windowLogReturns } from './window-log-returns.ts';
export type { ReturnWindow } from './window-log-returns.ts';
export type * from './types.ts';
