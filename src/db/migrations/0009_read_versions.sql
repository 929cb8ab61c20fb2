CREATE TABLE "read_versions" (
	"backend_pid" bigint PRIMARY KEY NOT NULL,
	"writes" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Every write statement to a table the dashboard and analytics read counts one in this backend's
-- row; readers compare sum(writes). Statement-level, so a 100,000-row upsert costs one update.
-- Not batch_runs: no cached response reads it, and a run writes its progress every few seconds.
CREATE FUNCTION count_read_version_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO read_versions (backend_pid, writes) VALUES (pg_backend_pid(), 1)
  ON CONFLICT (backend_pid) DO UPDATE SET writes = read_versions.writes + 1;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'portfolios', 'positions', 'equity_changes', 'portfolio_activity',
    'portfolio_snapshots', 'stress_test_scenarios', 'stress_test_results',
    'portfolio_stress_models', 'custom_stress_scenarios', 'correlation_calculations',
    'pairwise_correlations', 'factor_definitions', 'symbol_factor_exposures', 'factor_exposures',
    'position_factor_exposures', 'market_data_cache', 'company_profiles', 'symbol_universe',
    'treasury_bill_rates'
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION count_read_version_write()',
      t || '_read_version', t);
  END LOOP;
END;
$$;
