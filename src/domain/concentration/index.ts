export { computeConcentration } from './compute-concentration.ts';
export type { Concentration, TopPosition } from './compute-concentration.ts';
export { netBySymbol } from './net-by-symbol.ts';
export type { ValuedPosition } from './net-by-symbol.ts';
