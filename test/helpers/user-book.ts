import type { Db } from '../../src/db/database.ts';
import { PortfolioRepository } from '../../src/db/repositories/portfolio-repository.ts';
import { UserRepository } from '../../src/db/repositories/user-repository.ts';
import { createLogger } from '../../src/logger.ts';
import { getSampleProvider } from '../../src/market/create-provider.ts';
import type { PipelineContext } from '../../src/pipeline/pipeline-context.ts';
import { SymbolCache } from '../../src/pipeline/symbol-cache.ts';

type NewPositions = Parameters<PortfolioRepository['createWithPositions']>[0]['positions'];

/** A user with one taxable book of these lots, written straight to the database. */
export async function createUserBook(
  db: Db,
  book: { email: string; name: string; equityBalance?: string; positions: NewPositions },
) {
  const user = await new UserRepository(db).create({
    email: book.email,
    passwordHash: 'x',
    fullName: null,
  });
  const portfolio = await new PortfolioRepository(db).createWithPositions({
    userId: user.id,
    name: book.name,
    accountName: book.name.toUpperCase(),
    accountType: 'taxable',
    equityBalance: book.equityBalance ?? '100000',
    positions: book.positions,
  });
  return { user, portfolio };
}

/** The pipeline over the bundled sample data, quiet. */
export async function samplePipeline(db: Db): Promise<PipelineContext> {
  return {
    db,
    provider: await getSampleProvider(),
    cache: new SymbolCache(),
    logger: createLogger('silent'),
  };
}
