import type { Command } from 'commander';
import { registerCalendarCommand } from './calendar.ts';
import { registerMigrateCommand } from './migrate.ts';
import { registerServeCommand } from './serve.ts';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerCalendarCommand(program);
}
