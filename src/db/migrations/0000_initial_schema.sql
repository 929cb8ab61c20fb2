CREATE TABLE "equity_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"change_type" text NOT NULL,
	"amount" numeric(24, 2) NOT NULL,
	"change_date" date NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "equity_changes_change_type_check" CHECK (change_type IN ('CONTRIBUTION', 'WITHDRAWAL')),
	CONSTRAINT "equity_changes_amount_check" CHECK (amount > 0)
);
--> statement-breakpoint
CREATE TABLE "portfolios" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"account_name" text NOT NULL,
	"account_type" text NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"equity_balance" numeric(24, 2) NOT NULL,
	"anchor_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "portfolios_account_type_check" CHECK (account_type IN ('taxable', 'ira', 'roth_ira', '401k', '403b', '529', 'hsa', 'trust', 'other')),
	CONSTRAINT "portfolios_currency_check" CHECK (currency IN ('USD')),
	CONSTRAINT "portfolios_equity_balance_check" CHECK (equity_balance > 0)
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"symbol" text NOT NULL,
	"position_type" text NOT NULL,
	"quantity" numeric(24, 6) NOT NULL,
	"entry_price" numeric(24, 6) NOT NULL,
	"entry_date" date NOT NULL,
	"exit_date" date,
	"exit_price" numeric(24, 6),
	"investment_class" text DEFAULT 'PUBLIC' NOT NULL,
	"investment_subtype" text,
	"underlying_symbol" text,
	"strike_price" numeric(24, 6),
	"expiration_date" date,
	"option_type" text,
	"last_price" numeric(24, 6),
	"market_value" numeric(24, 2),
	"unrealized_pnl" numeric(24, 2),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "positions_position_type_check" CHECK (position_type IN ('LONG', 'SHORT', 'LC', 'LP', 'SC', 'SP')),
	CONSTRAINT "positions_investment_class_check" CHECK (investment_class IN ('PUBLIC', 'OPTIONS', 'PRIVATE')),
	CONSTRAINT "positions_option_type_check" CHECK (option_type IS NULL OR option_type IN ('CALL', 'PUT')),
	CONSTRAINT "positions_entry_price_check" CHECK (entry_price > 0),
	CONSTRAINT "positions_quantity_check" CHECK (quantity <> 0),
	CONSTRAINT "positions_exit_after_entry_check" CHECK (exit_date IS NULL OR exit_date >= entry_date)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"full_name" text,
	"role" text DEFAULT 'user' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_check" CHECK (role IN ('user', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "company_profiles" (
	"symbol" text PRIMARY KEY NOT NULL,
	"name" text,
	"sector" text,
	"industry" text,
	"exchange" text,
	"country" text,
	"is_etf" boolean DEFAULT false NOT NULL,
	"market_cap" numeric(24, 2),
	"pe_ratio" double precision,
	"forward_pe" double precision,
	"dividend_yield" double precision,
	"beta" double precision,
	"beta_source" text,
	"week_52_high" numeric,
	"week_52_low" numeric,
	"next_earnings_date" date,
	"data_source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_data_cache" (
	"symbol" text NOT NULL,
	"date" date NOT NULL,
	"close" numeric NOT NULL,
	"open" numeric,
	"high" numeric,
	"low" numeric,
	"volume" bigint,
	"data_source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "market_data_cache_symbol_date_key" PRIMARY KEY("symbol","date"),
	CONSTRAINT "market_data_cache_close_check" CHECK (close > 0)
);
--> statement-breakpoint
CREATE TABLE "symbol_universe" (
	"symbol" text PRIMARY KEY NOT NULL,
	"asset_type" text DEFAULT 'equity' NOT NULL,
	"first_seen_date" date NOT NULL,
	"last_processed_date" date,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"consecutive_failures" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "symbol_universe_asset_type_check" CHECK (asset_type IN ('equity', 'etf', 'option_underlying'))
);
--> statement-breakpoint
CREATE TABLE "factor_definitions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "factor_definitions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"description" text,
	"factor_type" text NOT NULL,
	"calculation_method" text NOT NULL,
	"etf_proxy" text,
	"display_order" integer NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "factor_definitions_name_key" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "factor_exposures" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "factor_exposures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"portfolio_id" uuid NOT NULL,
	"factor_id" integer NOT NULL,
	"calculation_date" date NOT NULL,
	"exposure_value" double precision NOT NULL,
	"exposure_dollar" numeric(24, 2) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "position_factor_exposures" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "position_factor_exposures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"position_id" uuid NOT NULL,
	"factor_id" integer NOT NULL,
	"calculation_date" date NOT NULL,
	"exposure_value" double precision NOT NULL,
	"exposure_dollar" numeric(24, 2) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "symbol_factor_exposures" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "symbol_factor_exposures_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"symbol" text NOT NULL,
	"factor_id" integer NOT NULL,
	"calculation_date" date NOT NULL,
	"beta" double precision NOT NULL,
	"r_squared" double precision,
	"std_error" double precision,
	"observations" integer NOT NULL,
	"calculation_method" text NOT NULL,
	"regularization_alpha" double precision,
	"window_days" integer NOT NULL,
	"quality_flag" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "correlation_calculations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"calculation_date" date NOT NULL,
	"lookback_days" integer NOT NULL,
	"min_overlap" integer NOT NULL,
	"overall_correlation" double precision,
	"effective_positions" double precision,
	"data_quality" text NOT NULL,
	"positions_included" integer NOT NULL,
	"positions_excluded" integer NOT NULL,
	"position_details" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pairwise_correlations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pairwise_correlations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"correlation_calculation_id" uuid NOT NULL,
	"symbol_1" text NOT NULL,
	"symbol_2" text NOT NULL,
	"correlation" double precision NOT NULL,
	"data_points" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portfolio_snapshots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"snapshot_date" date NOT NULL,
	"net_asset_value" numeric(24, 2) NOT NULL,
	"cash_value" numeric(24, 2) NOT NULL,
	"long_value" numeric(24, 2) NOT NULL,
	"short_value" numeric(24, 2) NOT NULL,
	"gross_exposure" numeric(24, 2) NOT NULL,
	"net_exposure" numeric(24, 2) NOT NULL,
	"daily_pnl" numeric(24, 2) NOT NULL,
	"daily_return" double precision NOT NULL,
	"cumulative_pnl" numeric(24, 2) NOT NULL,
	"daily_realized_pnl" numeric(24, 2) DEFAULT '0' NOT NULL,
	"daily_capital_flow" numeric(24, 2) DEFAULT '0' NOT NULL,
	"num_positions" integer DEFAULT 0 NOT NULL,
	"num_long_positions" integer DEFAULT 0 NOT NULL,
	"num_short_positions" integer DEFAULT 0 NOT NULL,
	"num_option_positions" integer DEFAULT 0 NOT NULL,
	"num_private_positions" integer DEFAULT 0 NOT NULL,
	"portfolio_delta" double precision,
	"portfolio_gamma" double precision,
	"portfolio_theta" double precision,
	"portfolio_vega" double precision,
	"realized_volatility_21d" double precision,
	"realized_volatility_63d" double precision,
	"expected_volatility_21d" double precision,
	"volatility_trend" text,
	"volatility_percentile" double precision,
	"beta_calculated_90d" double precision,
	"beta_provider_1y" double precision,
	"hhi" double precision,
	"effective_num_positions" double precision,
	"top_3_concentration" double precision,
	"top_10_concentration" double precision,
	"sector_exposure" jsonb,
	"data_issues" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"is_complete" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stress_test_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"scenario_id" text NOT NULL,
	"calculation_date" date NOT NULL,
	"portfolio_value" numeric(24, 2) NOT NULL,
	"direct_pnl" numeric(24, 2) NOT NULL,
	"correlated_pnl" numeric(24, 2) NOT NULL,
	"correlation_effect" numeric(24, 2) NOT NULL,
	"factor_impacts" jsonb NOT NULL,
	"position_impacts" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stress_test_scenarios" (
	"scenario_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"shocks" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_type" text NOT NULL,
	"scope" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"scope_key" text NOT NULL,
	"portfolio_id" uuid,
	"calculation_date" date,
	"mode" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"phases" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"activity_log" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"triggered_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "batch_runs_job_type_check" CHECK (job_type IN ('symbol_batch', 'portfolio_refresh', 'onboarding', 'full_backfill', 'admin_metrics')),
	CONSTRAINT "batch_runs_status_check" CHECK (status IN ('queued', 'running', 'completed', 'partial', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "daily_metrics" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "daily_metrics_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"date" date NOT NULL,
	"metric" text NOT NULL,
	"dimensions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"value" double precision NOT NULL,
	"sample_count" bigint DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "equity_changes" ADD CONSTRAINT "equity_changes_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolios" ADD CONSTRAINT "portfolios_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "factor_exposures" ADD CONSTRAINT "factor_exposures_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "factor_exposures" ADD CONSTRAINT "factor_exposures_factor_id_factor_definitions_id_fk" FOREIGN KEY ("factor_id") REFERENCES "public"."factor_definitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_factor_exposures" ADD CONSTRAINT "position_factor_exposures_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "position_factor_exposures" ADD CONSTRAINT "position_factor_exposures_factor_id_factor_definitions_id_fk" FOREIGN KEY ("factor_id") REFERENCES "public"."factor_definitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "symbol_factor_exposures" ADD CONSTRAINT "symbol_factor_exposures_factor_id_factor_definitions_id_fk" FOREIGN KEY ("factor_id") REFERENCES "public"."factor_definitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "correlation_calculations" ADD CONSTRAINT "correlation_calculations_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairwise_correlations" ADD CONSTRAINT "pairwise_correlations_correlation_calculation_id_correlation_calculations_id_fk" FOREIGN KEY ("correlation_calculation_id") REFERENCES "public"."correlation_calculations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_snapshots" ADD CONSTRAINT "portfolio_snapshots_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stress_test_results" ADD CONSTRAINT "stress_test_results_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stress_test_results" ADD CONSTRAINT "stress_test_results_scenario_id_stress_test_scenarios_scenario_id_fk" FOREIGN KEY ("scenario_id") REFERENCES "public"."stress_test_scenarios"("scenario_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "equity_changes_portfolio_date_idx" ON "equity_changes" USING btree ("portfolio_id","change_date");--> statement-breakpoint
CREATE UNIQUE INDEX "portfolios_user_account_name_key" ON "portfolios" USING btree ("user_id","account_name") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "portfolios_user_id_idx" ON "portfolios" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "positions_portfolio_symbol_entry_key" ON "positions" USING btree ("portfolio_id","symbol","entry_date") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "positions_portfolio_id_idx" ON "positions" USING btree ("portfolio_id");--> statement-breakpoint
CREATE INDEX "positions_symbol_idx" ON "positions" USING btree ("symbol");--> statement-breakpoint
CREATE INDEX "positions_underlying_symbol_idx" ON "positions" USING btree ("underlying_symbol");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "market_data_cache_date_idx" ON "market_data_cache" USING btree ("date");--> statement-breakpoint
CREATE INDEX "symbol_universe_active_idx" ON "symbol_universe" USING btree ("is_active");--> statement-breakpoint
CREATE UNIQUE INDEX "factor_exposures_portfolio_factor_date_key" ON "factor_exposures" USING btree ("portfolio_id","factor_id","calculation_date");--> statement-breakpoint
CREATE UNIQUE INDEX "position_factor_exposures_position_factor_date_key" ON "position_factor_exposures" USING btree ("position_id","factor_id","calculation_date");--> statement-breakpoint
CREATE INDEX "position_factor_exposures_date_idx" ON "position_factor_exposures" USING btree ("calculation_date");--> statement-breakpoint
CREATE UNIQUE INDEX "symbol_factor_exposures_symbol_factor_date_key" ON "symbol_factor_exposures" USING btree ("symbol","factor_id","calculation_date");--> statement-breakpoint
CREATE INDEX "symbol_factor_exposures_date_idx" ON "symbol_factor_exposures" USING btree ("calculation_date");--> statement-breakpoint
CREATE UNIQUE INDEX "correlation_calculations_portfolio_lookback_date_key" ON "correlation_calculations" USING btree ("portfolio_id","lookback_days","calculation_date");--> statement-breakpoint
CREATE UNIQUE INDEX "pairwise_correlations_calc_pair_key" ON "pairwise_correlations" USING btree ("correlation_calculation_id","symbol_1","symbol_2");--> statement-breakpoint
CREATE UNIQUE INDEX "portfolio_snapshots_portfolio_date_key" ON "portfolio_snapshots" USING btree ("portfolio_id","snapshot_date");--> statement-breakpoint
CREATE INDEX "portfolio_snapshots_date_idx" ON "portfolio_snapshots" USING btree ("snapshot_date");--> statement-breakpoint
CREATE UNIQUE INDEX "stress_test_results_portfolio_scenario_date_key" ON "stress_test_results" USING btree ("portfolio_id","scenario_id","calculation_date");--> statement-breakpoint
CREATE UNIQUE INDEX "batch_runs_active_scope_key" ON "batch_runs" USING btree ("job_type","scope_key") WHERE status IN ('queued', 'running');--> statement-breakpoint
CREATE INDEX "batch_runs_type_created_idx" ON "batch_runs" USING btree ("job_type","created_at");--> statement-breakpoint
CREATE INDEX "batch_runs_portfolio_created_idx" ON "batch_runs" USING btree ("portfolio_id","created_at");--> statement-breakpoint
CREATE INDEX "batch_runs_status_idx" ON "batch_runs" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "daily_metrics_date_metric_dimensions_key" ON "daily_metrics" USING btree ("date","metric","dimensions");