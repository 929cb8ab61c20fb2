import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../../src/db/database.ts';
import { pgErrorOf } from '../../../src/db/db-errors.ts';
import { describeOnEachEngine } from '../../helpers/test-database.ts';

/** SPEC §1: every table with the columns the spec names. */
const SPEC_COLUMNS: Record<string, string[]> = {
  users: ['id', 'email', 'password_hash', 'full_name', 'role', 'created_at'],
  portfolios: [
    'id',
    'user_id',
    'name',
    'account_name',
    'account_type',
    'currency',
    'equity_balance',
    'anchor_date',
    'deleted_at',
  ],
  positions: [
    'id',
    'portfolio_id',
    'symbol',
    'position_type',
    'quantity',
    'entry_price',
    'entry_date',
    'exit_date',
    'exit_price',
    'investment_class',
    'investment_subtype',
    'underlying_symbol',
    'strike_price',
    'expiration_date',
    'option_type',
    'last_price',
    'market_value',
    'unrealized_pnl',
    'deleted_at',
  ],
  equity_changes: ['portfolio_id', 'change_type', 'amount', 'change_date'],
  portfolio_snapshots: [
    'portfolio_id',
    'snapshot_date',
    'net_asset_value',
    'cash_value',
    'long_value',
    'short_value',
    'gross_exposure',
    'net_exposure',
    'daily_pnl',
    'daily_return',
    'cumulative_pnl',
    'daily_realized_pnl',
    'daily_capital_flow',
    'num_positions',
    'num_long_positions',
    'num_short_positions',
    'num_option_positions',
    'portfolio_delta',
    'portfolio_gamma',
    'portfolio_theta',
    'portfolio_vega',
    'realized_volatility_21d',
    'realized_volatility_63d',
    'expected_volatility_21d',
    'beta_calculated_90d',
    'beta_provider_1y',
    'hhi',
    'effective_num_positions',
    'top_3_concentration',
    'top_10_concentration',
    'sector_exposure',
    'data_issues',
    'is_complete',
  ],
  market_data_cache: ['symbol', 'date', 'close', 'open', 'high', 'low', 'volume', 'data_source'],
  company_profiles: [
    'symbol',
    'name',
    'sector',
    'industry',
    'exchange',
    'country',
    'is_etf',
    'market_cap',
    'pe_ratio',
    'forward_pe',
    'dividend_yield',
    'beta',
    'week_52_high',
    'week_52_low',
    'next_earnings_date',
    'data_source',
    'updated_at',
  ],
  symbol_universe: [
    'symbol',
    'asset_type',
    'first_seen_date',
    'last_processed_date',
    'is_active',
    'last_error',
  ],
  factor_definitions: [
    'id',
    'name',
    'factor_type',
    'calculation_method',
    'etf_proxy',
    'display_order',
    'is_active',
  ],
  symbol_factor_exposures: [
    'symbol',
    'factor_id',
    'calculation_date',
    'beta',
    'r_squared',
    'std_error',
    'observations',
    'calculation_method',
    'regularization_alpha',
    'window_days',
    'quality_flag',
  ],
  factor_exposures: [
    'portfolio_id',
    'factor_id',
    'calculation_date',
    'exposure_value',
    'exposure_dollar',
  ],
  position_factor_exposures: [
    'position_id',
    'factor_id',
    'calculation_date',
    'exposure_value',
    'exposure_dollar',
  ],
  stress_test_scenarios: ['scenario_id', 'name', 'category', 'severity', 'shocks', 'active'],
  stress_test_results: [
    'portfolio_id',
    'scenario_id',
    'calculation_date',
    'direct_pnl',
    'correlated_pnl',
    'correlation_effect',
    'factor_impacts',
    'position_impacts',
  ],
  correlation_calculations: [
    'portfolio_id',
    'calculation_date',
    'lookback_days',
    'overall_correlation',
    'effective_positions',
    'data_quality',
    'positions_included',
    'positions_excluded',
  ],
  pairwise_correlations: [
    'correlation_calculation_id',
    'symbol_1',
    'symbol_2',
    'correlation',
    'data_points',
  ],
  batch_runs: [
    'id',
    'job_type',
    'scope',
    'status',
    'phases',
    'activity_log',
    'errors',
    'triggered_by',
    'created_at',
    'started_at',
    'completed_at',
  ],
  daily_metrics: ['date', 'metric', 'dimensions', 'value'],
};

/** SPEC §1 unique keys (primary keys count), as "table(col, col)". */
const SPEC_UNIQUE_KEYS = [
  'users(lower(email))',
  'portfolios(user_id, account_name)',
  'portfolio_snapshots(portfolio_id, snapshot_date)',
  'market_data_cache(symbol, date)',
  'company_profiles(symbol)',
  'symbol_universe(symbol)',
  'factor_definitions(name)',
  'symbol_factor_exposures(symbol, factor_id, calculation_date)',
  'factor_exposures(portfolio_id, factor_id, calculation_date)',
  'position_factor_exposures(position_id, factor_id, calculation_date)',
  'stress_test_scenarios(scenario_id)',
  'stress_test_results(portfolio_id, scenario_id, calculation_date)',
  'correlation_calculations(portfolio_id, lookback_days, calculation_date)',
  'pairwise_correlations(correlation_calculation_id, symbol_1, symbol_2)',
  'daily_metrics(date, metric, dimensions)',
];

const hasSqlState = (code: string) => (error: unknown) => pgErrorOf(error)?.code === code;

describeOnEachEngine('database schema', ({ database }) => {
  it('has every SPEC table with the SPEC column names', async () => {
    const rows = await queryRows<{ table_name: string; column_name: string }>(
      database().db,
      sql`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const byTable = new Map<string, Set<string>>();
    for (const r of rows) {
      if (!byTable.has(r.table_name)) byTable.set(r.table_name, new Set());
      byTable.get(r.table_name)!.add(r.column_name);
    }
    for (const [table, columns] of Object.entries(SPEC_COLUMNS)) {
      expect(byTable.has(table), `table ${table}`).toBe(true);
      const missing = columns.filter((c) => !byTable.get(table)!.has(c));
      expect(missing, `columns missing from ${table}`).toEqual([]);
    }
  });

  it('has every SPEC unique key', async () => {
    const rows = await queryRows<{ indexdef: string; tablename: string }>(
      database().db,
      sql`SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const uniqueKeys = new Set(
      rows
        .filter((r) => /CREATE UNIQUE INDEX/.test(r.indexdef))
        .map((r) => {
          const withoutPredicate = r.indexdef.replace(/ WHERE .*$/, '');
          const cols = /USING btree \((.*)\)$/.exec(withoutPredicate)?.[1] ?? '';
          return `${r.tablename}(${cols.replace(/"/g, '')})`;
        }),
    );
    for (const key of SPEC_UNIQUE_KEYS) expect(uniqueKeys, key).toContain(key);
  });

  it('rejects a duplicate (symbol, date) in market_data_cache', async () => {
    const db = database().db;
    await db.execute(
      sql`INSERT INTO market_data_cache (symbol, date, close, data_source) VALUES ('ZZZ', '2024-01-02', 10, 'test')`,
    );
    await expect(
      db.execute(
        sql`INSERT INTO market_data_cache (symbol, date, close, data_source) VALUES ('ZZZ', '2024-01-02', 11, 'test')`,
      ),
    ).rejects.toSatisfy(hasSqlState('23505'));
  });

  it('treats e-mail addresses case-insensitively and account names per live portfolio', async () => {
    const db = database().db;
    const [user] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO users (email, password_hash) VALUES ('Case@Example.com', 'x') RETURNING id`,
    );
    await expect(
      db.execute(sql`INSERT INTO users (email, password_hash) VALUES ('case@example.COM', 'y')`),
    ).rejects.toSatisfy(hasSqlState('23505'));

    const insertPortfolio = () =>
      queryRows<{ id: string }>(
        db,
        sql`INSERT INTO portfolios (user_id, name, account_name, account_type, equity_balance)
            VALUES (${user!.id}, 'Core', 'ACC-1', 'taxable', 100000) RETURNING id`,
      );
    const [first] = await insertPortfolio();
    await expect(insertPortfolio()).rejects.toSatisfy(hasSqlState('23505'));
    // After a soft delete the account name is free again.
    await db.execute(sql`UPDATE portfolios SET deleted_at = now() WHERE id = ${first!.id}`);
    await expect(insertPortfolio()).resolves.toHaveLength(1);
  });

  it('enforces value sets and positive amounts with check constraints', async () => {
    const db = database().db;
    const [user] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO users (email, password_hash) VALUES ('checks@example.com', 'x') RETURNING id`,
    );
    await expect(
      db.execute(sql`INSERT INTO portfolios (user_id, name, account_name, account_type, equity_balance)
                     VALUES (${user!.id}, 'P', 'A', 'brokerage', 100)`),
    ).rejects.toSatisfy(hasSqlState('23514'));
    await expect(
      db.execute(sql`INSERT INTO portfolios (user_id, name, account_name, account_type, equity_balance)
                     VALUES (${user!.id}, 'P', 'A', 'ira', 0)`),
    ).rejects.toSatisfy(hasSqlState('23514'));
    await expect(
      db.execute(sql`INSERT INTO batch_runs (job_type, scope_key, status, triggered_by)
                     VALUES ('symbol_batch', 'x', 'sleeping', 'test')`),
    ).rejects.toSatisfy(hasSqlState('23514'));
  });

  it('allows one live batch run per job type and scope', async () => {
    const db = database().db;
    const insert = () =>
      db.execute(sql`INSERT INTO batch_runs (job_type, scope_key, status, triggered_by)
                     VALUES ('onboarding', 'portfolio:1', 'queued', 'test')`);
    await insert();
    await expect(insert()).rejects.toSatisfy(hasSqlState('23505'));
    await db.execute(
      sql`UPDATE batch_runs SET status = 'completed' WHERE scope_key = 'portfolio:1'`,
    );
    await expect(insert()).resolves.toBeDefined();
  });
});
