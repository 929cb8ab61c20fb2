/** The window the nightly correlation matrix is computed over, in trading days (SPEC §7). */
export const CORRELATION_LOOKBACK_DAYS = 90;
