import type { Command } from 'commander';
import { registerBatchCommand } from './batch.ts';
import { registerCalendarCommand } from './calendar.ts';
import { registerDemoCommand } from './demo.ts';
import { registerPortfolioCommand } from './portfolio.ts';
import { registerPricesCommand } from './prices.ts';
import { registerSymbolFactorsCommand } from './symbol-factors.ts';
import { registerMigrateCommand } from './migrate.ts';
import { registerServeCommand } from './serve.ts';
import { registerUserCommand } from './user.ts';
import { registerWorkerCommand } from './worker.ts';

/** Each command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerCalendarCommand(program);
  registerBatchCommand(program);
  registerSymbolFactorsCommand(program);
  registerPricesCommand(program);
  registerPortfolioCommand(program);
  registerDemoCommand(program);
  registerUserCommand(program);
  registerWorkerCommand(program);
}
