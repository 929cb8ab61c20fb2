/** The scenario with the largest loss (most negative correlated impact), or null. */
export function worstScenario<T extends { impact: { dollar_impact: number } }>(
  scenarios: T[],
): T | null {
  let worst: T | null = null;
  for (const s of scenarios) {
    if (worst === null || s.impact.dollar_impact < worst.impact.dollar_impact) worst = s;
  }
  return worst;
}

export function bestScenario<T extends { impact: { dollar_impact: number } }>(
  scenarios: T[],
): T | null {
  let best: T | null = null;
  for (const s of scenarios) {
    if (best === null || s.impact.dollar_impact > best.impact.dollar_impact) best = s;
  }
  return best;
}
