export interface PairwisePearson {
  /** Pearson r on the common observations; NaN when either side has zero variance there. */
  correlation: number;
  /** Indices at which both series are finite. */
  count: number;
}

/**
 * Pearson correlation on the pairwise-complete observations: the indices where both series are
 * finite. Means are taken over those common indices only (not each series' full mean), so the
 * result equals numpy.corrcoef applied to the two series after dropping the gaps. Two passes
 * (mean, then centred sums) avoid the cancellation of the one-pass Σxy − n·x̄ȳ form.
 */
export function pairwisePearson(x: Float64Array, y: Float64Array): PairwisePearson {
  if (x.length !== y.length) {
    throw new RangeError(`Series lengths differ: ${x.length} vs ${y.length}`);
  }
  let count = 0;
  let sumX = 0;
  let sumY = 0;
  for (let k = 0; k < x.length; k++) {
    const a = x[k] as number;
    const b = y[k] as number;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      count++;
      sumX += a;
      sumY += b;
    }
  }
  if (count === 0) return { correlation: NaN, count };
  const meanX = sumX / count;
  const meanY = sumY / count;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let k = 0; k < x.length; k++) {
    const a = x[k] as number;
    const b = y[k] as number;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      const dx = a - meanX;
      const dy = b - meanY;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
  }
  if (!(sxx > 0) || !(syy > 0)) return { correlation: NaN, count };
  // Rounding can push |r| a hair past 1 for (anti-)identical series; r is bounded by definition.
  const r = sxy / Math.sqrt(sxx * syy);
  return { correlation: Math.max(-1, Math.min(1, r)), count };
}
