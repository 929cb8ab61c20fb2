/**
 * A user's own stress scenarios (SPEC §6): factor shocks, or a window of stored history whose
 * realized factor moves become the shocks. They are resolved to factor-series moves when created
 * (a window's closes do not change), stored, and evaluated next to the built-in scenarios with
 * the same model, for any of the user's portfolios and the aggregate.
 */
import {
  movesFromShocks,
  movesFromWindow,
  severityOfMoves,
  type FactorMove,
  type ResolvedScenario,
  type ScenarioShocks,
} from '../../domain/stress/scenarios.ts';
import {
  MARKET_ETF,
  STRESS_FACTOR_ETFS,
  STRESS_FACTORS,
  type StressFactor,
} from '../../domain/stress/stress-factors.ts';
import type { Db } from '../../db/database.ts';
import {
  CustomStressScenarioRepository,
  type CustomScenarioRow,
} from '../../db/repositories/custom-stress-scenario-repository.ts';
import { MarketDataRepository } from '../../db/repositories/market-data-repository.ts';
import { ok, refused, type Outcome } from '../portfolios/problem.ts';
import type { CustomScenarioDeleted, CustomScenarioList, CustomScenarioView } from './schemas.ts';

/** A user keeps at most this many scenarios: each one is evaluated on every stress request. */
export const MAX_CUSTOM_SCENARIOS = 50;
/** |Δy| above this is not a scenario but a typo (0.10 = 1,000 basis points). */
export const MAX_YIELD_CHANGE = 0.1;
/** A factor move above +1,000% is a typo too (a return cannot fall below −100%). */
export const MAX_FACTOR_MOVE = 10;
/** Windows may not start before the stored history; this is the earliest date even asked. */
const EARLIEST_WINDOW_DATE = '1900-01-01';

export interface CustomScenarioInput {
  name: string;
  description: string | null;
  shocks?: ScenarioShocks | undefined;
  window?: { start: string; end: string } | undefined;
}

function invalid(field: string, message: string): Outcome<never> {
  return refused({
    status: 422,
    code: 'ERR_VALIDATION',
    message: `Invalid request body: ${field}: ${message}`,
    details: { issues: [{ field, message }] },
  });
}

/** The shocks' own rules: known factors, returns above −100%, yield changes within ±10 points. */
function checkShocks(shocks: ScenarioShocks): Outcome<FactorMove[]> {
  const entries = Object.entries(shocks);
  if (entries.length === 0) return invalid('shocks', 'shock at least one factor');
  for (const [name, value] of entries) {
    const field = `shocks.${name}`;
    if (!(STRESS_FACTORS as readonly string[]).includes(name)) {
      return invalid(field, `unknown factor; known: ${STRESS_FACTORS.join(', ')}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return invalid(field, 'must be a finite number (a decimal: -0.10 = -10%)');
    }
    if (name === 'Rates') {
      if (Math.abs(value) > MAX_YIELD_CHANGE) {
        return invalid(
          field,
          `a yield change must be within ±${MAX_YIELD_CHANGE} (±1,000 basis points); 0.01 = +100bp`,
        );
      }
    } else if (!(value > -1) || value > MAX_FACTOR_MOVE) {
      return invalid(field, 'a move must be above -1 (-100%) and at most 10 (+1,000%)');
    }
  }
  return ok(movesFromShocks(shocks));
}

/**
 * A window snapped to the stored market closes inside it: the move runs from the first session
 * with a stored SPY close on or after `start` to the last one on or before `end`.
 */
async function resolveWindow(
  db: Db,
  window: { start: string; end: string },
): Promise<Outcome<{ window: { start: string; end: string }; moves: FactorMove[] }>> {
  if (window.start >= window.end) return invalid('window', 'start must be before end');
  const market = new MarketDataRepository(db);
  const stored = await market.closeDatesWithin(MARKET_ETF, EARLIEST_WINDOW_DATE, '9999-12-31');
  if (!stored) return invalid('window', 'no market history is stored yet');
  if (window.start < stored.first || window.end > stored.last) {
    return invalid(
      'window',
      `must lie inside the stored history, ${stored.first} to ${stored.last}`,
    );
  }
  const inside = await market.closeDatesWithin(MARKET_ETF, window.start, window.end);
  if (!inside || inside.first >= inside.last) {
    return invalid('window', 'must span at least two trading days');
  }
  const snapped = { start: inside.first, end: inside.last };
  const closes = await market.closesOn(Object.values(STRESS_FACTOR_ETFS), [
    snapped.start,
    snapped.end,
  ]);
  const moves = movesFromWindow(snapped, (etf, date) => closes.get(`${etf}|${date}`));
  return ok({ window: snapped, moves });
}

export function customScenarioBody(row: CustomScenarioRow): CustomScenarioView {
  const moves = toFactorMoves(row.moves);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    custom: true as const,
    category: 'custom' as const,
    severity: severityOfMoves(moves),
    shocks: row.shocks,
    window:
      row.windowStart && row.windowEnd ? { start: row.windowStart, end: row.windowEnd } : null,
    factor_moves: Object.fromEntries(moves.map((m) => [m.factor, m.value])) as Record<
      string,
      number
    >,
    created_at: row.createdAt,
  };
}

export async function createCustomScenario(
  db: Db,
  userId: string,
  input: CustomScenarioInput,
): Promise<Outcome<CustomScenarioView>> {
  const hasShocks = input.shocks !== undefined;
  const hasWindow = input.window !== undefined;
  if (hasShocks === hasWindow) {
    return invalid('(body)', 'give exactly one of shocks and window');
  }
  const repository = new CustomStressScenarioRepository(db);
  if ((await repository.count(userId)) >= MAX_CUSTOM_SCENARIOS) {
    return refused({
      status: 409,
      code: 'ERR_SCENARIO_LIMIT',
      message: `You already have ${MAX_CUSTOM_SCENARIOS} custom scenarios; delete one first`,
    });
  }
  let moves: FactorMove[];
  let window: { start: string; end: string } | null = null;
  if (input.shocks) {
    const checked = checkShocks(input.shocks);
    if (!checked.ok) return checked;
    moves = checked.value;
  } else {
    const resolved = await resolveWindow(db, input.window!);
    if (!resolved.ok) return resolved;
    ({ moves, window } = resolved.value);
  }
  const row = await repository.create({
    userId,
    name: input.name,
    description: input.description,
    shocks: input.shocks ? (input.shocks as Record<string, number>) : null,
    windowStart: window?.start ?? null,
    windowEnd: window?.end ?? null,
    moves: moves.map((m) => ({ factor: m.factor, value: m.value })),
  });
  return ok(customScenarioBody(row));
}

export async function listCustomScenarios(db: Db, userId: string): Promise<CustomScenarioList> {
  const rows = await new CustomStressScenarioRepository(db).list(userId);
  return { scenarios: rows.map(customScenarioBody), limit: MAX_CUSTOM_SCENARIOS };
}

export async function deleteCustomScenario(
  db: Db,
  userId: string,
  id: string,
): Promise<Outcome<CustomScenarioDeleted>> {
  const deleted = await new CustomStressScenarioRepository(db).delete(userId, id);
  if (!deleted) {
    return refused({
      status: 404,
      code: 'ERR_SCENARIO_NOT_FOUND',
      message: `No custom scenario ${id}`,
    });
  }
  return ok({ id, deleted: true });
}

function toFactorMoves(stored: readonly { factor: string; value: number }[]): FactorMove[] {
  const moves: FactorMove[] = [];
  for (const { factor, value } of stored) {
    const index = STRESS_FACTORS.indexOf(factor as StressFactor);
    if (index >= 0 && Number.isFinite(value)) {
      moves.push({ factor: factor as StressFactor, index, value });
    }
  }
  return moves.sort((a, b) => a.index - b.index);
}

/** The user's scenarios, ready to evaluate next to the built-in ones. */
export async function resolvedCustomScenarios(db: Db, userId: string): Promise<ResolvedScenario[]> {
  const rows = await new CustomStressScenarioRepository(db).list(userId);
  return rows.map((row) => {
    const moves = toFactorMoves(row.moves);
    return {
      id: row.id,
      name: row.name,
      description: row.description ?? '',
      category: 'custom',
      severity: severityOfMoves(moves),
      window:
        row.windowStart && row.windowEnd ? { start: row.windowStart, end: row.windowEnd } : null,
      custom: true,
      moves,
    };
  });
}
