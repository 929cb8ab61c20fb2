export interface MaxDrawdown {
  /** Largest peak-to-trough fall as a negative decimal (−0.34 = −34 %); 0 when it never fell. */
  maxDrawdown: number;
  /** Index of the peak the fall started from, and of its trough (equal when no fall). */
  peakIndex: number;
  troughIndex: number;
}

/**
 * Maximum drawdown of a level series (NAV, a price, a return index): min over t of
 * level_t / max_{s ≤ t} level_s − 1. Negative by convention, as a return would be, so it
 * composes with other returns without a sign flip. Levels must be finite and > 0.
 */
export function maxDrawdown(levels: Float64Array): MaxDrawdown {
  let peak = -Infinity;
  let peakAt = 0;
  const worst: MaxDrawdown = { maxDrawdown: 0, peakIndex: 0, troughIndex: 0 };
  for (let t = 0; t < levels.length; t++) {
    const level = levels[t] as number;
    if (!Number.isFinite(level) || level <= 0) {
      throw new RangeError(`Level at index ${t} must be finite and > 0, got ${level}`);
    }
    if (level > peak) {
      peak = level;
      peakAt = t;
    }
    const drawdown = level / peak - 1;
    if (drawdown < worst.maxDrawdown) {
      worst.maxDrawdown = drawdown;
      worst.peakIndex = peakAt;
      worst.troughIndex = t;
    }
  }
  return worst;
}

/**
 * The compounded return index 1, (1+r₁), (1+r₁)(1+r₂), …: n + 1 levels for n returns. Built
 * from daily returns (P&L / previous NAV) it is the NAV path with capital flows taken out, so a
 * withdrawal does not read as a loss.
 */
export function returnIndex(returns: Float64Array): Float64Array {
  const levels = new Float64Array(returns.length + 1);
  levels[0] = 1;
  for (let t = 0; t < returns.length; t++) {
    levels[t + 1] = (levels[t] as number) * (1 + (returns[t] as number));
  }
  return levels;
}
