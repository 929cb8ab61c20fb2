/**
 * Portfolio CRUD for the JSON routes: list/read with summary figures, create empty, partial
 * update, soft delete. Field rules are shared with the onboarding upload (portfolio-fields.ts).
 */
import type { Db } from '../../db/database.ts';
import {
  DuplicateAccountNameError,
  PortfolioRepository,
  type PortfolioSummaryRow,
} from '../../db/repositories/portfolio-repository.ts';
import {
  checkPortfolioFields,
  JSON_FIELD_NAMES,
  PORTFOLIO_ERRORS,
  type FieldError,
  type PortfolioFields,
  type RawPortfolioFields,
} from './portfolio-fields.ts';
import { ok, refused, type Outcome, type Problem } from './problem.ts';
import type { PortfolioBody, PortfolioDeleted } from './schemas.ts';

/**
 * What `GET /data/portfolios` lists for each portfolio (API.md), plus currency, anchor date and
 * the date of the figures.
 *
 * - `net_asset_value`: the latest snapshot's NAV (equity) once the portfolio has been
 *   calculated; before that, the stated `equity_balance` — the only value known, and the one the
 *   first calculation anchors on.
 * - `total_value`: the market value of the holdings (long + short, signed; cash excluded) — the
 *   latest snapshot's net exposure, else the sum of the positions' stored marks, else null when
 *   nothing has been priced yet (never the cost basis dressed up as a value).
 * - `position_count`: live positions still open today (closed and expired lots are left out).
 */
export function portfolioBody(p: PortfolioSummaryRow): PortfolioBody {
  return {
    id: p.id,
    name: p.name,
    account_name: p.accountName,
    account_type: p.accountType,
    description: p.description,
    currency: p.currency,
    // Deleted portfolios are never returned, so every one listed is active.
    is_active: true,
    net_asset_value: p.latestNetAssetValue ?? p.equityBalance,
    total_value: p.latestNetExposure ?? p.positionsMarketValue,
    equity_balance: p.equityBalance,
    position_count: p.openPositionCount,
    anchor_date: p.anchorDate,
    last_calculation_date: p.latestSnapshotDate,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

export async function listPortfolios(
  db: Db,
  userId: string,
  today: string,
): Promise<PortfolioBody[]> {
  const rows = await new PortfolioRepository(db).listSummaries(userId, today);
  return rows.map(portfolioBody);
}

export async function getPortfolio(
  db: Db,
  userId: string,
  portfolioId: string,
  today: string,
): Promise<PortfolioBody | null> {
  const [row] = await new PortfolioRepository(db).listSummaries(userId, today, portfolioId);
  return row ? portfolioBody(row) : null;
}

function fieldsProblem(errors: FieldError[]): Problem {
  const leading =
    errors.find((e) => e.code !== PORTFOLIO_ERRORS.duplicateAccountName) ?? errors[0]!;
  const conflict = leading.code === PORTFOLIO_ERRORS.duplicateAccountName;
  const others = errors.length - 1;
  return {
    status: conflict ? 409 : 400,
    code: leading.code,
    message:
      leading.message +
      (others > 0 ? ` (${others} more problem${others === 1 ? '' : 's'} in details.errors)` : ''),
    details: { errors },
  };
}

function duplicateName(accountName: string): FieldError {
  return {
    field: JSON_FIELD_NAMES.accountName,
    code: PORTFOLIO_ERRORS.duplicateAccountName,
    message: `You already have a portfolio with the account name "${accountName}"; choose another name`,
  };
}

/** `POST /portfolios`: an empty portfolio (positions come from a CSV upload or later edits). */
export async function createPortfolio(
  db: Db,
  userId: string,
  raw: RawPortfolioFields,
  today: string,
): Promise<Outcome<PortfolioBody>> {
  const repo = new PortfolioRepository(db);
  const { values, errors } = checkPortfolioFields(raw, JSON_FIELD_NAMES, 'create');
  if (values.accountName !== undefined && (await repo.accountNameTaken(userId, values.accountName)))
    errors.push(duplicateName(values.accountName));
  if (errors.length > 0) return refused(fieldsProblem(errors));
  const fields = values as PortfolioFields;
  try {
    const created = await repo.createWithPositions({ userId, ...fields, positions: [] });
    return ok((await getPortfolio(db, userId, created.id, today))!);
  } catch (error) {
    if (error instanceof DuplicateAccountNameError)
      return refused(fieldsProblem([duplicateName(fields.accountName)]));
    throw error;
  }
}

/** `PUT /portfolios/{id}`: changes only the fields sent; `description: null` clears it. */
export async function updatePortfolio(
  db: Db,
  userId: string,
  portfolioId: string,
  raw: RawPortfolioFields,
  today: string,
): Promise<Outcome<PortfolioBody>> {
  const repo = new PortfolioRepository(db);
  const { values, errors } = checkPortfolioFields(raw, JSON_FIELD_NAMES, 'update');
  if (
    values.accountName !== undefined &&
    (await repo.accountNameTaken(userId, values.accountName, portfolioId))
  )
    errors.push(duplicateName(values.accountName));
  if (errors.length > 0) return refused(fieldsProblem(errors));
  try {
    const updated = await repo.update(portfolioId, userId, values);
    if (!updated) return refused(portfolioNotFound(portfolioId));
    return ok((await getPortfolio(db, userId, portfolioId, today))!);
  } catch (error) {
    if (error instanceof DuplicateAccountNameError)
      return refused(fieldsProblem([duplicateName(error.accountName)]));
    throw error;
  }
}

export function portfolioNotFound(portfolioId: string): Problem {
  return {
    status: 404,
    code: 'ERR_PORTFOLIO_NOT_FOUND',
    message: `Portfolio ${portfolioId} was not found`,
  };
}

/** `DELETE /portfolios/{id}`: a soft delete; the account name becomes free again. */
export async function deletePortfolio(
  db: Db,
  userId: string,
  portfolioId: string,
): Promise<Outcome<PortfolioDeleted>> {
  const deleted = await new PortfolioRepository(db).softDelete(portfolioId, userId);
  if (!deleted) return refused(portfolioNotFound(portfolioId));
  return ok({
    id: portfolioId,
    deleted: true as const,
    message:
      'The portfolio was deleted: it no longer appears in lists, analytics or nightly runs, ' +
      'and its account name can be used again.',
  });
}
