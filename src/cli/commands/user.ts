import type { Command } from 'commander';
import { z } from 'zod';
import { hashPassword } from '../../security/password.ts';
import { AuthSessionRepository } from '../../db/repositories/auth-session-repository.ts';
import { DuplicateEmailError, UserRepository } from '../../db/repositories/user-repository.ts';
import { openCliContext } from '../open-cli-context.ts';

// The same rules as POST /auth/register, so an operator cannot make an account the API would refuse.
const email = z.email().max(254);
const password = z.string().min(8).max(256);
const fullName = z.string().trim().min(1).max(200);

export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('user accounts (for operators)');
  const fail = (message: string): never => program.error(`error: ${message}`, { exitCode: 2 });
  const check = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : fail(`${what}: ${parsed.error.issues[0]?.message}`);
  };

  user
    .command('create')
    .description('create a user who can log in')
    .requiredOption('--email <email>', 'e-mail address (unique, case-insensitive)')
    .requiredOption('--password <password>', 'at least 8 characters')
    .option('--name <name>', 'full name')
    .option('--admin', 'give the user the admin role')
    .action(async (opts: { email: string; password: string; name?: string; admin?: boolean }) => {
      const address = check(email, opts.email.trim(), '--email');
      const secret = check(password, opts.password, '--password');
      const name = opts.name === undefined ? null : check(fullName, opts.name, '--name');
      const passwordHash = await hashPassword(secret);
      const cli = await openCliContext();
      try {
        const created = await new UserRepository(cli.database.db).create({
          email: address,
          passwordHash,
          fullName: name,
          role: opts.admin ? 'admin' : 'user',
        });
        console.log(`Created ${created.role} ${created.email} (${created.id}).`);
      } catch (error) {
        if (error instanceof DuplicateEmailError)
          fail(`${error.message}; use "user set-password" to change its password`);
        throw error;
      } finally {
        await cli.close();
      }
    });

  user
    .command('set-password')
    .description('set the password of an existing user (e.g. the owner made by "portfolio create")')
    .requiredOption('--email <email>', 'e-mail address of the user')
    .requiredOption('--password <password>', 'at least 8 characters')
    .action(async (opts: { email: string; password: string }) => {
      const secret = check(password, opts.password, '--password');
      const passwordHash = await hashPassword(secret);
      const cli = await openCliContext();
      try {
        // A new password ends every session of the old one, in the same transaction: whoever
        // knew the old password must not stay signed in.
        const result = await cli.database.db.transaction(async (tx) => {
          const user = await new UserRepository(tx).setPasswordHash({
            email: opts.email,
            passwordHash,
          });
          const ended = user ? await new AuthSessionRepository(tx).deleteAllOfUser(user.id) : 0;
          return { user, ended };
        });
        if (!result.user) fail(`no user with the e-mail ${opts.email.trim()}`);
        console.log(
          `Password set for ${result.user!.email}; ${result.ended} session(s) signed out.`,
        );
      } finally {
        await cli.close();
      }
    });
}
