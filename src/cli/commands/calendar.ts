import type { Command } from 'commander';
import {
  isTradingDay,
  mostRecentCompletedTradingDay,
  tradingSessionsBetween,
} from '../../domain/calendar/index.ts';
import { isIsoDate } from '../../domain/dates.ts';
import type { IsoDate } from '../../domain/dates.ts';

/** Exit code for bad user input, as for configuration errors in main.ts. */
const BAD_INPUT_EXIT_CODE = 2;

export function registerCalendarCommand(program: Command): void {
  const calendar = program.command('calendar').description('NYSE trading calendar');

  calendar
    .command('sessions')
    .description('print every NYSE trading day from --from to --to (inclusive), one per line')
    // Checked in the action rather than by requiredOption, whose usage error exits 1, so every
    // kind of bad input to this command exits 2.
    .option('--from <date>', 'first date, YYYY-MM-DD (required)')
    .option('--to <date>', 'last date, YYYY-MM-DD (required)')
    .action((opts: { from?: string; to?: string }, command: Command) => {
      const from = dateInput(command, '--from', opts.from);
      const to = dateInput(command, '--to', opts.to);
      // A reversed range is almost always swapped arguments; printing nothing would hide that.
      if (from > to) fail(command, `--from ${from} is after --to ${to}`);
      const sessions = tradingSessionsBetween(from, to);
      if (sessions.length > 0) process.stdout.write(`${sessions.join('\n')}\n`);
    });

  calendar
    .command('is-trading-day')
    .description('print true if the NYSE trades on <date>, else false')
    .argument('<date>', 'YYYY-MM-DD')
    .action((text: string, _opts: unknown, command: Command) => {
      console.log(String(isTradingDay(dateInput(command, '<date>', text))));
    });

  calendar
    .command('last-completed')
    .description('print the most recent NYSE trading day whose session has closed')
    .option(
      '--at <instant>',
      'ISO 8601 instant with offset, e.g. 2024-01-10T21:00:00Z (default: now)',
    )
    .action((opts: { at?: string }, command: Command) => {
      const instant = opts.at === undefined ? new Date() : instantInput(command, opts.at);
      console.log(mostRecentCompletedTradingDay(instant));
    });
}

function fail(command: Command, message: string): never {
  return command.error(`error: ${message}`, {
    exitCode: BAD_INPUT_EXIT_CODE,
    code: 'betaboard.invalidInput',
  });
}

function dateInput(command: Command, label: string, text: string | undefined): IsoDate {
  if (text === undefined) fail(command, `${label} <date> is required`);
  if (!isIsoDate(text)) fail(command, `${label} '${text}' is not a valid date (YYYY-MM-DD)`);
  return text;
}

const ISO_INSTANT =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Requires an explicit offset because `new Date('2024-01-10T16:00')` silently means the machine's
 * local time. The fields are range-checked here since Date rolls `02-30` over into March.
 */
function instantInput(command: Command, text: string): Date {
  const match = ISO_INSTANT.exec(text);
  const valid =
    match !== null &&
    isIsoDate(match[1] ?? '') &&
    Number(match[2]) < 24 &&
    Number(match[3]) < 60 &&
    Number(match[4] ?? '0') < 60;
  const instant = new Date(text);
  if (!valid || Number.isNaN(instant.getTime())) {
    fail(
      command,
      `--at '${text}' is not an ISO 8601 instant with offset, e.g. 2024-01-10T21:00:00Z`,
    );
  }
  return instant;
}
