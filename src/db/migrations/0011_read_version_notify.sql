-- The read version also covers who may read: a session ended (logout, expiry sweep, password
-- change) or a user changed moves it, so a serve process can keep session look-ups in memory
-- under the same version as the responses. Inserts into auth_sessions (a login) end nothing and
-- are not counted.
CREATE TRIGGER "auth_sessions_read_version" AFTER UPDATE OR DELETE OR TRUNCATE ON "auth_sessions"
  FOR EACH STATEMENT EXECUTE FUNCTION count_read_version_write();
--> statement-breakpoint
CREATE TRIGGER "users_read_version" AFTER UPDATE OR DELETE OR TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION count_read_version_write();
--> statement-breakpoint
-- Embedded database only: each counted write also notifies `betaboard_read_version`. NOTIFY is
-- delivered on commit only (never for a rolled-back write) and once per transaction, and PGlite
-- delivers it to its one process before the committing statement returns, so a serve on PGlite
-- keeps the version in memory instead of reading it before every request. PostgreSQL is left
-- without it: nothing listens there (another process would hear of a write only some time after
-- its commit), and every notifying commit would take the server's notify lock.
DO $migration$
BEGIN
  IF version() LIKE '%PGlite%' THEN
    CREATE OR REPLACE FUNCTION count_read_version_write() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      INSERT INTO read_versions (backend_pid, writes) VALUES (pg_backend_pid(), 1)
      ON CONFLICT (backend_pid) DO UPDATE SET writes = read_versions.writes + 1;
      PERFORM pg_notify('betaboard_read_version', '');
      RETURN NULL;
    END;
    $fn$;
  END IF;
END;
$migration$;
