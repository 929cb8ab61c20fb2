CREATE TABLE "treasury_bill_rates" (
	"date" date PRIMARY KEY NOT NULL,
	"rate_percent" double precision NOT NULL,
	"data_source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "custom_stress_scenarios" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"shocks" jsonb,
	"window_start" date,
	"window_end" date,
	"moves" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "portfolio_stress_models" (
	"portfolio_id" uuid PRIMARY KEY NOT NULL,
	"calculation_date" date NOT NULL,
	"model" json NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stress_test_scenarios" ADD COLUMN "window_start" date;--> statement-breakpoint
ALTER TABLE "stress_test_scenarios" ADD COLUMN "window_end" date;--> statement-breakpoint
ALTER TABLE "custom_stress_scenarios" ADD CONSTRAINT "custom_stress_scenarios_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_stress_models" ADD CONSTRAINT "portfolio_stress_models_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "custom_stress_scenarios_user_idx" ON "custom_stress_scenarios" USING btree ("user_id");--> statement-breakpoint
-- Results of the first stress model (raw ETF returns, EWMA covariance, invented replay shocks)
-- are wrong numbers, not history worth keeping: they go, and every portfolio's latest day is
-- marked incomplete so the next refresh computes it with the new model.
DELETE FROM "stress_test_results";--> statement-breakpoint
UPDATE "portfolio_snapshots" s SET "is_complete" = false
  WHERE s."snapshot_date" = (SELECT max(l."snapshot_date") FROM "portfolio_snapshots" l WHERE l."portfolio_id" = s."portfolio_id");--> statement-breakpoint
-- Options were marked with a 0.25 default volatility for a book's first 63 sessions and a flat
-- 4% rate: every day of a book holding options is recomputed by the next refresh.
UPDATE "portfolio_snapshots" SET "is_complete" = false
  WHERE "portfolio_id" IN (SELECT "portfolio_id" FROM "positions" WHERE "investment_class" = 'OPTIONS');
