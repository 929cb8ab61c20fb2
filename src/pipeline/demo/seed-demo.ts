import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../../security/password.ts';
import { parsePositionsCsv } from '../../domain/csv/parse-positions-csv.ts';
import type { NewPosition } from '../../db/repositories/position-repository.ts';
import {
  DuplicateAccountNameError,
  PortfolioRepository,
} from '../../db/repositories/portfolio-repository.ts';
import { BatchRunRepository } from '../../db/repositories/batch-run-repository.ts';
import { DuplicateEmailError, UserRepository } from '../../db/repositories/user-repository.ts';
import type { PipelineContext } from '../pipeline-context.ts';
import {
  DEMO_ADMIN,
  DEMO_PORTFOLIOS,
  DEMO_USER,
  demoDataDir,
  type DemoPortfolio,
} from './demo-portfolios.ts';
import { newPositionsFromCsv } from '../onboarding/new-positions-from-csv.ts';

export interface SeedDemoOptions {
  /** YYYY-MM-DD: the date the demo CSVs' entry dates are checked against. */
  today: string;
  /** Runs (or enqueues) the first calculation of a created portfolio. */
  calculate: (portfolioId: string) => Promise<void>;
  /** Where the demo CSVs are; default `data/demo/` of the checkout. */
  dataDir?: string;
}

export interface SeededPortfolio {
  id: string;
  name: string;
  accountName: string;
  equityBalance: number;
  positions: number;
}

export type SeedDemoResult =
  | { seeded: false; reason: 'demo_user_exists' }
  | {
      seeded: true;
      demoUserId: string;
      /** The demo user already existed without a password (made by a CLI command) and got one. */
      demoUserClaimed: boolean;
      adminCreated: boolean;
      portfolios: SeededPortfolio[];
      /** Demo books not created because the demo user already has a portfolio on that account. */
      skippedAccounts: string[];
      calculationFailures: { portfolioId: string; name: string; error: string }[];
    };

/** Thrown inside the transaction to roll it back when another process seeded first. */
class DemoAlreadySeeded extends Error {}

/** The CLI creates owners with a hash no scrypt hash can equal; see `ensureCliUser`. */
const hasUsablePassword = (hash: string) => !hash.startsWith('!');

/** Parses the bundled demo CSVs; an error here is a broken checkout, not user input. */
export function readDemoPortfolios(
  today: string,
  dataDir = demoDataDir(),
): { book: DemoPortfolio; positions: NewPosition[] }[] {
  return DEMO_PORTFOLIOS.map((book) => {
    const path = join(dataDir, book.file);
    const parsed = parsePositionsCsv({ bytes: readFileSync(path), today, fileName: book.file });
    if (parsed.totalErrors > 0) {
      const first = parsed.errors
        .slice(0, 3)
        .map((e) => `line ${e.row}: ${e.code} ${e.message}`)
        .join('; ');
      throw new Error(`demo portfolio ${path} has ${parsed.totalErrors} error(s): ${first}`);
    }
    return { book, positions: newPositionsFromCsv(parsed.positions) };
  });
}

/**
 * A first start killed after the demo books were written leaves books that were never
 * calculated, or whose calculation failed (never reached the queue, or every attempt was
 * interrupted). A later start calculates those again; books a calculation already finished,
 * or one still has queued or running (the reaper deals with dead workers), are left alone.
 */
export async function resumeDemoCalculations(
  ctx: PipelineContext,
  options: Pick<SeedDemoOptions, 'calculate'>,
): Promise<string[]> {
  const demoUser = await new UserRepository(ctx.db).findByEmail(DEMO_USER.email);
  if (!demoUser || !hasUsablePassword(demoUser.passwordHash)) return [];
  const demoUserId = demoUser.id;
  const books = await new PortfolioRepository(ctx.db).liveWithAccountNames(
    demoUserId,
    DEMO_PORTFOLIOS.map((b) => b.accountName),
  );
  const runs = new BatchRunRepository(ctx.db);
  const resumed: string[] = [];
  for (const book of books) {
    const latest = await runs.latestForPortfolio(book.id, 'onboarding');
    if (latest && latest.status !== 'failed') continue;
    try {
      await options.calculate(book.id);
      resumed.push(book.id);
    } catch (error) {
      ctx.logger.warn(
        { portfolioId: book.id, err: (error as Error).message },
        'demo portfolio calculation could not be resumed',
      );
    }
  }
  if (resumed.length > 0) {
    ctx.logger.info({ portfolios: resumed.length }, 'demo calculations resumed after a restart');
  }
  return resumed;
}

/**
 * Seeds the demo on a fresh installation: the demo user and an admin, the five demo books, and
 * the first calculation of each. The demo user having a usable password is the marker that the
 * demo exists, so a restart, a second server or a user who deleted a demo book gets nothing
 * again. Users and portfolios are written in one transaction (a crash leaves no half demo that
 * would then count as seeded); calculations run after it commits, one book at a time.
 */
export async function seedDemo(
  ctx: PipelineContext,
  options: SeedDemoOptions,
): Promise<SeedDemoResult> {
  const skipped = { seeded: false, reason: 'demo_user_exists' } as const;
  const existing = await new UserRepository(ctx.db).findByEmail(DEMO_USER.email);
  if (existing && hasUsablePassword(existing.passwordHash)) return skipped;

  const books = readDemoPortfolios(options.today, options.dataDir);
  const [demoHash, adminHash] = await Promise.all([
    hashPassword(DEMO_USER.password),
    hashPassword(DEMO_ADMIN.password),
  ]);

  let created: Extract<SeedDemoResult, { seeded: true }>;
  try {
    created = await ctx.db.transaction(async (tx) => {
      const users = await claimDemoUsers(new UserRepository(tx), demoHash, adminHash);
      const portfolios = await createDemoBooks(
        new PortfolioRepository(tx),
        users.demoUserId,
        books,
      );
      return { seeded: true as const, ...users, ...portfolios, calculationFailures: [] };
    });
  } catch (error) {
    if (error instanceof DemoAlreadySeeded || error instanceof DuplicateEmailError) return skipped;
    throw error;
  }
  ctx.logger.info(
    { portfolios: created.portfolios.length, skippedAccounts: created.skippedAccounts },
    'demo users and portfolios created',
  );

  for (const portfolio of created.portfolios) {
    try {
      await options.calculate(portfolio.id);
    } catch (error) {
      const message = (error as Error).message;
      created.calculationFailures.push({
        portfolioId: portfolio.id,
        name: portfolio.name,
        error: message,
      });
      ctx.logger.warn(
        { portfolioId: portfolio.id, err: message },
        'demo portfolio calculation failed',
      );
    }
  }
  return created;
}

/**
 * The demo user (claimed when a CLI command made it without a password) and the admin, inside
 * the seed's transaction. Throws DemoAlreadySeeded when another process claimed the user first.
 */
async function claimDemoUsers(
  users: UserRepository,
  demoHash: string,
  adminHash: string,
): Promise<{ demoUserId: string; demoUserClaimed: boolean; adminCreated: boolean }> {
  // Claim the demo user first: a concurrent seeder blocks on the same row or unique key
  // until this transaction ends, then finds it taken.
  const prior = await users.findByEmail(DEMO_USER.email);
  let demoUserId: string;
  if (prior) {
    const claimed = await users.setPasswordHash({
      email: DEMO_USER.email,
      passwordHash: demoHash,
      fullName: DEMO_USER.fullName,
      onlyIfUnusable: true,
    });
    if (!claimed) throw new DemoAlreadySeeded();
    demoUserId = claimed.id;
  } else {
    demoUserId = (
      await users.create({
        email: DEMO_USER.email,
        passwordHash: demoHash,
        fullName: DEMO_USER.fullName,
      })
    ).id;
  }
  // An operator may already have made an admin with this address; leave it alone.
  const adminCreated = !(await users.findByEmail(DEMO_ADMIN.email));
  if (adminCreated) {
    await users.create({
      email: DEMO_ADMIN.email,
      passwordHash: adminHash,
      fullName: DEMO_ADMIN.fullName,
      role: 'admin',
    });
  }
  return { demoUserId, demoUserClaimed: prior !== null, adminCreated };
}

/** The demo books of the demo user, but those whose account name it already uses. */
async function createDemoBooks(
  portfolios: PortfolioRepository,
  demoUserId: string,
  books: readonly { book: DemoPortfolio; positions: NewPosition[] }[],
): Promise<{ portfolios: SeededPortfolio[]; skippedAccounts: string[] }> {
  const seeded: SeededPortfolio[] = [];
  const skippedAccounts: string[] = [];
  for (const { book, positions } of books) {
    try {
      const portfolio = await portfolios.createWithPositions({
        userId: demoUserId,
        name: book.name,
        description: book.description,
        accountName: book.accountName,
        accountType: book.accountType,
        equityBalance: book.equityBalance,
        positions,
      });
      seeded.push({
        id: portfolio.id,
        name: book.name,
        accountName: book.accountName,
        equityBalance: book.equityBalance,
        positions: positions.length,
      });
    } catch (error) {
      // Only possible for a CLI-made demo user that already used the account name; the
      // insert ran in its own savepoint, so the rest of the seed goes on.
      if (!(error instanceof DuplicateAccountNameError)) throw error;
      skippedAccounts.push(book.accountName);
    }
  }
  return { portfolios: seeded, skippedAccounts };
}
