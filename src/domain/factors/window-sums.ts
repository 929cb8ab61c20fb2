/**
 * The mean of y[offset … offset + n − 1], the first of the two passes over a target's returns.
 *
 * A plain `sum += v` loop is bound by the latency of one floating-point add per element (about
 * four cycles); four independent partial sums keep the adder busy and run ~3× faster on the
 * batch's hot path. The split is fixed (i mod 4, tail into the first), so the same values always
 * give the same bits: the regressor's mean, computed here too, equals the target's bit for bit
 * when the target is the regressor itself.
 */
export function denseMean(y: Float64Array, offset: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += y[offset + i] as number;
    s1 += y[offset + i + 1] as number;
    s2 += y[offset + i + 2] as number;
    s3 += y[offset + i + 3] as number;
  }
  for (; i < n; i++) s0 += y[offset + i] as number;
  return (s0 + s1 + (s2 + s3)) / n;
}
