import { STRESS_SCENARIOS } from '../../domain/stress/scenarios.ts';
import type { Db } from '../../db/database.ts';
import { StressRepository } from '../../db/repositories/stress-repository.ts';

/** The 22 scenarios of SPEC §6 into `stress_test_scenarios`; idempotent. */
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
