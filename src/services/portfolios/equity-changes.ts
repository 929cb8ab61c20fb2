/**
 * Contributions and withdrawals. Recording or deleting one is a change to the book's history:
 * written with its audit entry and the days it restates (from its date; every day when it is
 * before the anchor) in one transaction; the route then asks for the calculation that rewrites
 * them, like any change to the positions.
 */
import { addDays } from '../../domain/dates.ts';
import { cents } from '../../domain/money.ts';
import type { Db } from '../../db/database.ts';
import {
  EquityChangeRepository,
  type EquityChangeRow,
} from '../../db/repositories/equity-change-repository.ts';
import { PortfolioActivityRepository } from '../../db/repositories/portfolio-activity-repository.ts';
import type { PortfolioRow } from '../../db/repositories/portfolio-repository.ts';
import type { EquityChangeType } from '../../db/schema/enums.ts';
import { markRestated } from '../positions/recalculation.ts';
import { ok, refused } from './problem.ts';

export function equityChangeBody(row: EquityChangeRow) {
  return {
    id: row.id,
    portfolio_id: row.portfolioId,
    change_type: row.changeType,
    amount: row.amount,
    change_date: row.changeDate,
    notes: row.note,
    created_at: row.createdAt,
  };
}

function nextStep(portfolioId: string) {
  return {
    action: 'calculate' as const,
    endpoint: `/api/v1/portfolios/${portfolioId}/calculate`,
  };
}

const RESTATE_NOTE =
  'NAV, returns and P&L are restated from its date by the next calculation (see `calculation`); ' +
  'follow it at the onboarding status endpoint.';

const snapshotOf = (row: EquityChangeRow) => ({
  change_type: row.changeType,
  amount: row.amount,
  change_date: row.changeDate,
  notes: row.note,
});

export async function recordEquityChange(
  db: Db,
  input: {
    portfolio: PortfolioRow;
    userId: string;
    changeType: EquityChangeType;
    /** Dollars, already checked to be at least a cent; stored rounded to cents. */
    amount: number;
    changeDate: string;
    notes: string | null;
    today: string;
  },
) {
  if (input.changeDate > input.today) {
    return refused({
      status: 422,
      code: 'ERR_VALIDATION',
      message: `change_date ${input.changeDate} is in the future (today is ${input.today})`,
      details: { issues: [{ field: 'change_date', message: 'must not be in the future' }] },
    });
  }
  const portfolioId = input.portfolio.id;
  const { row, restated } = await db.transaction(async (tx) => {
    const created = await new EquityChangeRepository(tx).create({
      portfolioId,
      changeType: input.changeType,
      // The number's own decimal text: the numeric(24,2) column rounds half-cents away from
      // zero exactly, where Math.round(10000.005 * 100) would see 1000000.4999… and round down.
      amount: String(input.amount),
      changeDate: input.changeDate,
      note: input.notes,
    });
    await new PortfolioActivityRepository(tx).record([
      {
        portfolioId,
        userId: input.userId,
        action: 'equity_change.added',
        entity: 'equity_change',
        entityId: created.id,
        before: null,
        after: snapshotOf(created),
      },
    ]);
    return { row: created, restated: await markRestated(tx, input.portfolio, created.changeDate) };
  });
  return ok({
    body: {
      ...equityChangeBody(row),
      message: `${row.changeType === 'CONTRIBUTION' ? 'Contribution' : 'Withdrawal'} recorded. ${RESTATE_NOTE}`,
      next_step: nextStep(portfolioId),
    },
    restated,
  });
}

export async function listEquityChanges(db: Db, portfolioId: string) {
  const rows = await new EquityChangeRepository(db).list(portfolioId);
  const total = (type: EquityChangeType) =>
    rows.filter((r) => r.changeType === type).reduce((s, r) => s + r.amount, 0);
  const contributions = total('CONTRIBUTION');
  const withdrawals = total('WITHDRAWAL');
  return {
    portfolio_id: portfolioId,
    equity_changes: rows.map(equityChangeBody),
    summary: {
      count: rows.length,
      total_contributions: cents(contributions),
      total_withdrawals: cents(withdrawals),
      net_change: cents(contributions - withdrawals),
    },
  };
}

function flowsOf(rows: readonly EquityChangeRow[]) {
  const contributions = rows
    .filter((r) => r.changeType === 'CONTRIBUTION')
    .reduce((s, r) => s + r.amount, 0);
  const withdrawals = rows
    .filter((r) => r.changeType === 'WITHDRAWAL')
    .reduce((s, r) => s + r.amount, 0);
  return {
    count: rows.length,
    contributions: cents(contributions),
    withdrawals: cents(withdrawals),
    net_flow: cents(contributions - withdrawals),
  };
}

/**
 * GET /portfolios/{id}/equity-changes/summary: totals, the last 30 and 90 calendar days (by
 * change date, up to `today`) and the latest change.
 */
export async function equityChangeSummary(db: Db, portfolioId: string, today: string) {
  const rows = await new EquityChangeRepository(db).list(portfolioId);
  const all = flowsOf(rows);
  const since = (days: number) => {
    const from = addDays(today, -days + 1);
    return { from, to: today, ...flowsOf(rows.filter((r) => r.changeDate >= from)) };
  };
  // Latest by date, then by entry order (rows come oldest first).
  const last = rows.at(-1);
  return {
    portfolio_id: portfolioId,
    count: all.count,
    total_contributions: all.contributions,
    total_withdrawals: all.withdrawals,
    net_flow: all.net_flow,
    periods: { '30d': since(30), '90d': since(90) },
    last_change: last ? equityChangeBody(last) : null,
  };
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break; formulas defused. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet (numbers are safe).
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** GET /portfolios/{id}/equity-changes/export: the changes as a CSV download, oldest first. */
export async function equityChangesCsv(db: Db, portfolio: PortfolioRow) {
  const rows = await new EquityChangeRepository(db).list(portfolio.id);
  const lines = [
    'date,type,amount,notes,recorded_at',
    ...rows.map((r) =>
      [r.changeDate, r.changeType, r.amount.toFixed(2), r.note, r.createdAt].map(csvCell).join(','),
    ),
  ];
  const slug = portfolio.accountName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return {
    body: `${lines.join('\r\n')}\r\n`,
    filename: `equity-changes-${slug || 'portfolio'}.csv`,
  };
}

export async function deleteEquityChange(
  db: Db,
  input: { portfolio: PortfolioRow; userId: string; changeId: string },
) {
  const portfolioId = input.portfolio.id;
  const result = await db.transaction(async (tx) => {
    const deleted = await new EquityChangeRepository(tx).softDelete(portfolioId, input.changeId);
    if (!deleted) return null;
    await new PortfolioActivityRepository(tx).record([
      {
        portfolioId,
        userId: input.userId,
        action: 'equity_change.deleted',
        entity: 'equity_change',
        entityId: deleted.id,
        before: snapshotOf(deleted),
        after: null,
      },
    ]);
    return { restated: await markRestated(tx, input.portfolio, deleted.changeDate) };
  });
  if (!result) {
    return refused({
      status: 404,
      code: 'ERR_EQUITY_CHANGE_NOT_FOUND',
      message: `Equity change ${input.changeId} was not found in this portfolio`,
    });
  }
  return ok({
    body: {
      id: input.changeId,
      deleted: true as const,
      message: `Equity change deleted. ${RESTATE_NOTE}`,
      next_step: nextStep(portfolioId),
    },
    restated: result.restated,
  });
}
