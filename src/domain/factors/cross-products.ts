import { denseMean } from './window-sums.ts';

/**
 * The hot loop of the factor engine: for a design D of centred regressor columns on a set of
 * observation dates, per target y (after a pass for its mean ȳ): Syy = Σ (y − ȳ)² and
 * g = Dᵀ(y − ȳ). Every regression of a
 * window then finishes from g and Syy without touching the returns again (OLS: beta = g_j / Sxx_j;
 * ridge: solve (ZᵀZ + αI) w = g). Over all targets this is the one matrix product Ycᵀ·D per
 * window.
 *
 * Columns are taken four at a time, each with its own accumulator in a register: four independent
 * adds per observation instead of a dependent chain through memory. The target is read densely
 * (y[offset + i]); a target whose observations are scattered is gathered first, which costs less
 * than an index lookup in the inner loop. Each accumulator still sums its column in observation
 * order, exactly as the set-ups compute Sxx, so a target that IS one of the regressors gets
 * g_j ≡ Syy ≡ Sxx bit for bit (beta 1, R² 1, standard error 0).
 */
export interface Design {
  /** Observation columns: target row r is read at values[r·stride + columns[i]]. */
  columns: Int32Array;
  /** True when columns are consecutive, so a row can be read in place. */
  contiguous: boolean;
  /** Number of design columns, a multiple of 4 (zero-padded). */
  width: number;
  /** The design columns, each n long; padding columns are zeros. */
  d: Float64Array[];
}

export function designWidth(regressors: number): number {
  return Math.max(4, Math.ceil(regressors / 4) * 4);
}

/** A design from centred series (each n long): part j becomes column j, zero-padded to 4k. */
export function packDesign(columns: Int32Array, parts: readonly Float64Array[]): Design {
  const n = columns.length;
  const width = designWidth(parts.length);
  parts.forEach((part, j) => {
    if (part.length !== n) throw new RangeError(`design column ${j} has ${part.length} of ${n}`);
  });
  const d = [...parts];
  while (d.length < width) d.push(new Float64Array(n));
  let contiguous = true;
  for (let i = 1; i < n && contiguous; i++) {
    contiguous = columns[i] === (columns[i - 1] as number) + 1;
  }
  return { columns, contiguous, width, d };
}

/**
 * One target whose n observations are y[offset … offset + n − 1]: writes g into
 * g[gOffset … gOffset + width − 1] and returns Syy.
 */
export function crossProductsDense(
  design: Design,
  y: Float64Array,
  offset: number,
  g: Float64Array,
  gOffset: number,
): number {
  const { width, d } = design;
  const n = design.columns.length;
  const mean = denseMean(y, offset, n);
  let syy = 0;
  for (let b = 0; b < width; b += 4) {
    const d0 = d[b] as Float64Array;
    const d1 = d[b + 1] as Float64Array;
    const d2 = d[b + 2] as Float64Array;
    const d3 = d[b + 3] as Float64Array;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let q = 0;
    for (let i = 0; i < n; i++) {
      const v = (y[offset + i] as number) - mean;
      a0 += (d0[i] as number) * v;
      a1 += (d1[i] as number) * v;
      a2 += (d2[i] as number) * v;
      a3 += (d3[i] as number) * v;
      q += v * v;
    }
    g[gOffset + b] = a0;
    g[gOffset + b + 1] = a1;
    g[gOffset + b + 2] = a2;
    g[gOffset + b + 3] = a3;
    if (b === 0) syy = q;
  }
  return syy;
}

/**
 * For the r-th listed row of the row-major `targets` matrix (row `rows[r]` starts at
 * rows[r]·stride), fills g[r·width + j] and syy[r]: outputs are indexed by position in `rows`,
 * so a small group needs small buffers. The caller guarantees every target has a return at every
 * observation column.
 */
export function crossProducts(
  design: Design,
  targets: Float64Array,
  stride: number,
  rows: ArrayLike<number>,
  g: Float64Array,
  syy: Float64Array,
): void {
  const { columns, contiguous, width } = design;
  const n = columns.length;
  const gathered = contiguous ? null : new Float64Array(n);
  for (let r = 0; r < rows.length; r++) {
    const base = (rows[r] as number) * stride;
    if (gathered === null) {
      syy[r] = crossProductsDense(
        design,
        targets,
        base + (n > 0 ? (columns[0] as number) : 0),
        g,
        r * width,
      );
    } else {
      for (let i = 0; i < n; i++) gathered[i] = targets[base + (columns[i] as number)] as number;
      syy[r] = crossProductsDense(design, gathered, 0, g, r * width);
    }
  }
}
