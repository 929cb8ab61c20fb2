import type { Db } from '../../db/database.ts';
import { PortfolioRepository } from '../../db/repositories/portfolio-repository.ts';
import { PositionRepository } from '../../db/repositories/position-repository.ts';

/** A lot and its portfolio if the user owns that portfolio, else null (anyone else's lot). */
export async function findOwnedLot(db: Db, positionId: string, userId: string) {
  const position = await new PositionRepository(db).getOwned(positionId, userId);
  const portfolio = position
    ? await new PortfolioRepository(db).get(position.portfolioId, userId)
    : null;
  return position && portfolio ? { position, portfolio } : null;
}
