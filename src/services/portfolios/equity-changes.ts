/**
 * Contributions and withdrawals. Recording one does not recalculate anything: the P&L engine
 * reads live equity changes on every run, so NAV, returns and P&L include it from the next
 * calculation on (a back-dated change restates earlier days only in a full recalculation).
 */
import type { Db } from '../../db/database.ts';
import {
  EquityChangeRepository,
  type EquityChangeRow,
} from '../../db/repositories/equity-change-repository.ts';
import type { EquityChangeType } from '../../db/schema/enums.ts';
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

const ANALYTICS_NOTE =
  'Analytics are not recalculated now: NAV, returns and P&L include this change from the next ' +
  'calculation (nightly, or POST the next_step endpoint; use ?mode=full to restate days ' +
  'already calculated).';

export async function recordEquityChange(
  db: Db,
  input: {
    portfolioId: string;
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
  const row = await new EquityChangeRepository(db).create({
    portfolioId: input.portfolioId,
    changeType: input.changeType,
    // The number's own decimal text: the numeric(24,2) column rounds half-cents away from zero
    // exactly, where Math.round(10000.005 * 100) would see 1000000.4999… and round down.
    amount: String(input.amount),
    changeDate: input.changeDate,
    note: input.notes,
  });
  return ok({
    ...equityChangeBody(row),
    message: `${row.changeType === 'CONTRIBUTION' ? 'Contribution' : 'Withdrawal'} recorded. ${ANALYTICS_NOTE}`,
    next_step: nextStep(input.portfolioId),
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
      total_contributions: contributions,
      total_withdrawals: withdrawals,
      // Rounded to cents: summing float cents can leave 1e-12 residue.
      net_change: Math.round((contributions - withdrawals) * 100) / 100,
    },
  };
}

export async function deleteEquityChange(db: Db, portfolioId: string, changeId: string) {
  const deleted = await new EquityChangeRepository(db).softDelete(portfolioId, changeId);
  if (!deleted) {
    return refused({
      status: 404,
      code: 'ERR_EQUITY_CHANGE_NOT_FOUND',
      message: `Equity change ${changeId} was not found in this portfolio`,
    });
  }
  return ok({
    id: changeId,
    deleted: true as const,
    message: `Equity change deleted. ${ANALYTICS_NOTE}`,
    next_step: nextStep(portfolioId),
  });
}
