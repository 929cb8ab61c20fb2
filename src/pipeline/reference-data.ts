import type { Db } from '../db/database.ts';
import {
  FactorRepository,
  type FactorDefinitionRow,
} from '../db/repositories/factor-repository.ts';
import { StressRepository } from '../db/repositories/stress-repository.ts';
import { FACTOR_DEFINITIONS } from '../domain/factors/factor-definitions.ts';
import { STRESS_SCENARIOS } from '../domain/stress/scenarios.ts';

/**
 * The reference tables the pipeline reads: the factor definitions of SPEC §3.1 and the built-in
 * stress scenarios of SPEC §6, from the code's lists. Idempotent; run once when a process opens
 * its database (serve, worker, a CLI command), after the migrations.
 */
export async function seedReferenceData(db: Db): Promise<void> {
  await new FactorRepository(db).seedDefinitions(FACTOR_DEFINITIONS);
  await seedStressScenarios(db);
}

/** The built-in scenarios into `stress_test_scenarios`; idempotent. */
export async function seedStressScenarios(db: Db): Promise<void> {
  await new StressRepository(db).seedScenarios(
    STRESS_SCENARIOS.map((s) => ({
      scenarioId: s.id,
      name: s.name,
      description: s.description,
      category: s.category,
      severity: s.severity,
      shocks: (s.shocks ?? {}) as Record<string, number>,
      windowStart: s.window?.start ?? null,
      windowEnd: s.window?.end ?? null,
    })),
  );
}

/**
 * The seeded factor definitions (ids and names, in display order). A database nobody seeded
 * fails here, by name, rather than computing without factors.
 */
export async function loadFactorDefinitions(db: Db): Promise<FactorDefinitionRow[]> {
  const rows = await new FactorRepository(db).listDefinitions();
  const seeded = new Set(rows.map((r) => r.name));
  const missing = FACTOR_DEFINITIONS.filter((d) => !seeded.has(d.name)).map((d) => d.name);
  if (missing.length > 0) {
    throw new Error(
      `factor definitions are not seeded (${missing.join(', ')}): seedReferenceData runs when a process opens its database`,
    );
  }
  return rows;
}
