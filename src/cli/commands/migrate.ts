import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/open-database.ts';
import { getMigrationStatus, runMigrations } from '../../db/migrations.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (safe to run again)')
    .option('--status', 'only report what is applied')
    .action(async (opts: { status?: boolean }) => {
      const config = loadConfig();
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dbPath: config.dbPath,
      });
      try {
        const before = await getMigrationStatus(database);
        if (opts.status) {
          console.log(
            `${database.engine} ${database.location}: ${before.applied}/${before.expected} migrations applied` +
              (before.upToDate ? ' (up to date)' : ' (pending)'),
          );
          return;
        }
        const after = await runMigrations(database);
        const newly = after.applied - before.applied;
        console.log(
          `${database.engine} ${database.location}: ${newly > 0 ? `applied ${newly} migration(s)` : 'already up to date'}; ` +
            `${after.applied}/${after.expected} applied, latest ${after.latest ?? '(none)'}`,
        );
      } finally {
        await database.close();
      }
    });
}
