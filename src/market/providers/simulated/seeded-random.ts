/**
 * Small seeded random sources for the simulated provider, fast and repeatable; not for anything
 * that needs real randomness. Uniforms are pure 32-bit integer arithmetic; normals also use
 * Math.log/sqrt/sin/cos, which V8 computes the same on every platform (the spec alone would
 * allow last-bit differences between engines).
 */

/** FNV-1a of the symbol, mixed with the seed: a stable 32-bit stream id per symbol. */
export function hashSymbol(symbol: string, seed: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) {
    h ^= symbol.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h ^ Math.imul(seed, 0x85ebca6b));
}

/** Murmur3's finaliser: spreads nearby inputs (AAPL, AAPM) over unrelated states. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Mulberry32: tiny, fast and good enough for simulated prices; uniform in [0, 1). */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normals by Box–Muller, two per pair of uniforms. */
export function normalSource(uniform: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const u = 1 - uniform(); // (0, 1]: log(0) would be -Infinity
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  };
}
