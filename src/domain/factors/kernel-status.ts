/**
 * Why a batched kernel left a target without a usable result. Codes, not strings, so the kernels
 * write one byte per target; compute-symbol-factors turns them into readable reasons.
 */
export const KERNEL_OK = 0;
/** A regressor is constant over the observations: Sxx = 0 (OLS) or σ = 0 (ridge). */
export const KERNEL_ZERO_VARIANCE_REGRESSOR = 1;
/** The target is constant over the observations: R² is 0/0. */
export const KERNEL_ZERO_VARIANCE_TARGET = 2;
/** Any other NaN or ±Infinity in beta, R² or the standard error. */
export const KERNEL_NON_FINITE = 3;

export type KernelStatus =
  | typeof KERNEL_OK
  | typeof KERNEL_ZERO_VARIANCE_REGRESSOR
  | typeof KERNEL_ZERO_VARIANCE_TARGET
  | typeof KERNEL_NON_FINITE;
