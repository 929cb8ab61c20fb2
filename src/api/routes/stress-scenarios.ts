import { z } from 'zod';
import { STRESS_FACTORS } from '../../domain/stress/stress-factors.ts';
import {
  createCustomScenario,
  deleteCustomScenario,
  listCustomScenarios,
  MAX_CUSTOM_SCENARIOS,
} from '../../services/stress/custom-scenarios.ts';
import { scenarioSchema, listSchema, deleteSchema } from '../../services/stress/schemas.ts';
import { defineRoute, type Route } from '../openapi/define-route.ts';
import { apiDate, uuidParam } from '../request-input.ts';
import { outcomeValue } from './portfolios.ts';

const calendarDate = apiDate;

// Factor names are checked by the service (with the list of known ones in the message); here
// only the shape: names to numbers.
const createBody = z.object({
  name: z.string().trim().min(1, 'required').max(100),
  description: z.string().trim().max(1000).nullish(),
  shocks: z
    .record(z.string(), z.number())
    .optional()
    .describe(
      `Factor → shock, decimals. ${STRESS_FACTORS.filter((f) => f !== 'Rates').join(', ')}: the ` +
        'move of the factor series (Market = SPY; a style = how far its ETF beats (+) or trails ' +
        '(−) SPY), above −1; Rates: a yield change, |Δy| ≤ 0.10 (0.01 = +100bp)',
    ),
  window: z
    .object({ start: calendarDate, end: calendarDate })
    .optional()
    .describe('A window of stored history; its realized factor moves become the shocks'),
});

/** /stress-scenarios: a user's own scenarios; another user's id answers 404. */
export const stressScenarioRoutes: Route[] = [
  defineRoute({
    method: 'post',
    path: '/api/v1/stress-scenarios',
    tag: 'analytics',
    summary:
      'Create a scenario of your own: factor shocks or a window of history (exactly one); it is evaluated next to the built-in ones in every stress test',
    auth: 'user',
    body: createBody,
    success: { status: 201, description: 'The scenario', schema: scenarioSchema },
    errors: {
      400: 'ERR_INVALID_JSON',
      409: `ERR_SCENARIO_LIMIT (at most ${MAX_CUSTOM_SCENARIOS})`,
    },
    handler: async (c, { body }) => {
      const input = await body();
      const created = outcomeValue(
        await createCustomScenario(c.get('database').db, c.get('user').id, {
          name: input.name,
          description: input.description || null,
          shocks: input.shocks,
          window: input.window,
        }),
      );
      return c.json(created, 201);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/v1/stress-scenarios',
    tag: 'analytics',
    summary: 'Your own stress scenarios, oldest first',
    auth: 'user',
    success: { status: 200, description: 'The scenarios', schema: listSchema },
    handler: async (c) => c.json(await listCustomScenarios(c.get('database').db, c.get('user').id)),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/v1/stress-scenarios/{id}',
    tag: 'analytics',
    summary: 'Delete one of your own scenarios',
    auth: 'user',
    success: { status: 200, description: 'Deleted', schema: deleteSchema },
    errors: { 400: 'ERR_INVALID_ID', 404: 'ERR_SCENARIO_NOT_FOUND' },
    handler: async (c) => {
      const id = uuidParam(c, 'id');
      return c.json(
        outcomeValue(await deleteCustomScenario(c.get('database').db, c.get('user').id, id)),
      );
    },
  }),
];
