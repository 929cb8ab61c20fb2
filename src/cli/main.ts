import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { registerCommands } from './commands/index.ts';

/**
 * `betaboard <command>`: every command reads configuration through `loadConfig`, so the CLI and
 * the server honour the same environment variables.
 */
const program = new Command();
program
  .name('betaboard')
  .description('Betaboard portfolio risk analytics')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  }
}
