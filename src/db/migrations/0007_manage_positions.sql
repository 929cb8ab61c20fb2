CREATE TABLE "portfolio_activity" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"portfolio_id" uuid NOT NULL,
	"user_id" uuid,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "positions_portfolio_symbol_entry_key";--> statement-breakpoint
ALTER TABLE "portfolios" ADD COLUMN "recalculation_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "positions" ADD COLUMN "notes" text;--> statement-breakpoint
ALTER TABLE "positions" ADD COLUMN "split_from_position_id" uuid;--> statement-breakpoint
ALTER TABLE "portfolio_activity" ADD CONSTRAINT "portfolio_activity_portfolio_id_portfolios_id_fk" FOREIGN KEY ("portfolio_id") REFERENCES "public"."portfolios"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portfolio_activity" ADD CONSTRAINT "portfolio_activity_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "portfolio_activity_portfolio_created_idx" ON "portfolio_activity" USING btree ("portfolio_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "positions_portfolio_symbol_entry_open_key" ON "positions" USING btree ("portfolio_id","symbol","entry_date") WHERE deleted_at IS NULL AND exit_date IS NULL;