import type { ReturnPanel } from './return-panel.ts';

/**
 * Symbols whose returns have the same gaps in a window share one regression set-up (the same
 * observation dates), so they are grouped by their validity mask. Rows without a gap form one
 * group without building a mask key; only a row with a gap pays for its key string.
 */
export interface MaskGroup {
  /** 1 where every member has a return, per window column; null = the whole window. */
  mask: Uint8Array | null;
  /** Panel rows of the members, ascending. */
  rows: Int32Array;
}

export function groupRowsByMask(
  panel: ReturnPanel,
  rows: ArrayLike<number>,
  colStart: number,
  colEnd: number,
): MaskGroup[] {
  const width = colEnd - colStart;
  const full: number[] = [];
  const gapped = new Map<string, { mask: Uint8Array; rows: number[] }>();
  const values = panel.values;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    const base = row * panel.columns + colStart;
    let firstGap = -1;
    for (let c = 0; c < width; c++) {
      if (Number.isNaN(values[base + c] as number)) {
        firstGap = c;
        break;
      }
    }
    if (firstGap < 0) {
      full.push(row);
      continue;
    }
    const mask = new Uint8Array(width);
    for (let c = 0; c < width; c++) mask[c] = Number.isNaN(values[base + c] as number) ? 0 : 1;
    const key = mask.join('');
    const group = gapped.get(key);
    if (group === undefined) gapped.set(key, { mask, rows: [row] });
    else group.rows.push(row);
  }
  const groups: MaskGroup[] = [];
  if (full.length > 0) groups.push({ mask: null, rows: Int32Array.from(full) });
  for (const group of gapped.values()) {
    groups.push({ mask: group.mask, rows: Int32Array.from(group.rows) });
  }
  return groups;
}

/**
 * Panel columns (absolute, for reading rows) of the window columns where both masks are 1;
 * `groupMask` null means the group has no gap.
 */
export function observationColumns(
  regressorMask: Uint8Array,
  groupMask: Uint8Array | null,
  colStart: number,
): Int32Array {
  let count = 0;
  for (let c = 0; c < regressorMask.length; c++) {
    if (regressorMask[c] === 1 && (groupMask === null || groupMask[c] === 1)) count++;
  }
  const columns = new Int32Array(count);
  let k = 0;
  for (let c = 0; c < regressorMask.length; c++) {
    if (regressorMask[c] === 1 && (groupMask === null || groupMask[c] === 1)) {
      columns[k++] = colStart + c;
    }
  }
  return columns;
}
