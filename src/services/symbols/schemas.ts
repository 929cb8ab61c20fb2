import { z } from 'zod';

/** The responses of the symbol endpoints (built by symbol-lookup.ts). */

const nullableNumber = z.number().nullable();

export const symbolResponse = z.object({
  symbol: z.string(),
  profile: z
    .object({
      name: z.string().nullable(),
      sector: z.string().nullable(),
      industry: z.string().nullable(),
      exchange: z.string().nullable(),
      country: z.string().nullable(),
      is_etf: z.boolean(),
      market_cap: nullableNumber,
      pe_ratio: nullableNumber,
      forward_pe: nullableNumber,
      dividend_yield: nullableNumber,
      beta: nullableNumber.describe('The provider beta (factor "Provider Beta (1Y)")'),
      beta_source: z.string().nullable(),
      week_52_high: nullableNumber,
      week_52_low: nullableNumber,
      next_earnings_date: z.string().nullable(),
      data_source: z.string(),
      updated_at: z.string(),
    })
    .nullable(),
  last_close: z.object({ date: z.string(), close: z.number() }).nullable(),
  price_history: z.object({ first_date: z.string(), last_date: z.string() }).nullable(),
  factors: z.object({
    calculation_date: z.string().nullable(),
    betas: z.array(
      z.object({
        name: z.string(),
        display_order: z.number(),
        beta: z.number(),
        r_squared: nullableNumber,
        std_error: nullableNumber,
        observations: z.number(),
        calculation_method: z.string(),
        window_days: z.number(),
        quality_flag: z.string().nullable(),
      }),
    ),
  }),
  universe: z
    .object({
      asset_type: z.string(),
      is_active: z.boolean(),
      last_processed_date: z.string().nullable(),
      last_error: z.string().nullable(),
    })
    .nullable(),
});

export const pricesResponse = z.object({
  symbol: z.string(),
  from: z.string(),
  to: z.string(),
  prices: z.array(z.object({ date: z.string(), close: z.number() })),
});

export const factorsResponse = z.object({
  factors: z.array(
    z.object({
      // The `factor_definitions` id once the batch has seeded the table; null before that.
      id: z.number().nullable(),
      name: z.string(),
      description: z.string(),
      display_order: z.number(),
      factor_type: z.string(),
      calculation_method: z.string(),
      etf_proxy: z.string().nullable(),
      regressors: z.array(z.string()),
      window_days: z.number().nullable(),
      min_observations: z.number().nullable(),
    }),
  ),
});

export type SymbolDetails = z.infer<typeof symbolResponse>;
export type FactorCatalogEntry = z.infer<typeof factorsResponse>['factors'][number];
