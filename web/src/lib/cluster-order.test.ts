import { describe, expect, it } from 'vitest';
import { clusterOrder } from './cluster-order.ts';

describe('clusterOrder', () => {
  it('puts correlated symbols next to each other', () => {
    const m: Record<string, Record<string, number>> = {
      A: { A: 1, B: 0.1, C: 0.9, D: 0.0 },
      B: { A: 0.1, B: 1, C: 0.2, D: 0.8 },
      C: { A: 0.9, B: 0.2, C: 1, D: 0.1 },
      D: { A: 0.0, B: 0.8, C: 0.1, D: 1 },
    };
    const order = clusterOrder(['A', 'B', 'C', 'D'], m);
    expect(order).toHaveLength(4);
    const pos = (s: string) => order.indexOf(s);
    expect(Math.abs(pos('A') - pos('C'))).toBe(1);
    expect(Math.abs(pos('B') - pos('D'))).toBe(1);
  });
});
