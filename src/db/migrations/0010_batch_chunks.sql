CREATE TABLE "batch_chunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"set_key" text NOT NULL,
	"chunk_index" integer NOT NULL,
	"run_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"items" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"result" jsonb,
	"error" text,
	"job_id" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "batch_chunks_status_check" CHECK (status IN ('pending', 'running', 'completed', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "batch_chunks_set_index" ON "batch_chunks" USING btree ("set_key","chunk_index");--> statement-breakpoint
CREATE INDEX "batch_chunks_run_idx" ON "batch_chunks" USING btree ("run_id");