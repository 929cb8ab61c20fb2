ALTER TABLE "position_factor_exposures" DROP CONSTRAINT "position_factor_exposures_position_id_positions_id_fk";
--> statement-breakpoint
ALTER TABLE "pairwise_correlations" DROP CONSTRAINT "pairwise_correlations_correlation_calculation_id_correlation_calculations_id_fk";
--> statement-breakpoint
ALTER TABLE "stress_test_results" ALTER COLUMN "factor_impacts" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "stress_test_results" ALTER COLUMN "position_impacts" SET DATA TYPE json;--> statement-breakpoint
-- Stored out of line uncompressed: pglz rarely gets the 25% it needs on these documents (numbers
-- and ids), so every row paid a failed compression attempt (a third of the stress write).
ALTER TABLE "stress_test_results" ALTER COLUMN "factor_impacts" SET STORAGE EXTERNAL, ALTER COLUMN "position_impacts" SET STORAGE EXTERNAL;--> statement-breakpoint
-- The foreign key's ON DELETE CASCADE, kept as a trigger: a deleted position takes its factor
-- exposures with it, and inserts pay no per-row check. By position id, so the unique
-- (position_id, factor_id, calculation_date) key serves the delete.
CREATE FUNCTION "position_factor_exposures_cascade_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "position_factor_exposures" WHERE "position_id" = OLD."id";
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TRIGGER "positions_delete_factor_exposures" AFTER DELETE ON "positions"
  FOR EACH ROW EXECUTE FUNCTION "position_factor_exposures_cascade_delete"();
--> statement-breakpoint
-- The foreign key's ON DELETE CASCADE, kept as a trigger: a deleted calculation (replaced, or
-- gone with its portfolio) takes its pairs with it, and inserts pay no per-row check. By
-- calculation id, so the unique (correlation_calculation_id, symbol_1, symbol_2) key serves it.
CREATE FUNCTION "pairwise_correlations_cascade_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "pairwise_correlations" WHERE "correlation_calculation_id" = OLD."id";
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TRIGGER "correlation_calculations_delete_pairs" AFTER DELETE ON "correlation_calculations"
  FOR EACH ROW EXECUTE FUNCTION "pairwise_correlations_cascade_delete"();
