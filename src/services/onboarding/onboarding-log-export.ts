import type { BatchRunRow } from '../../db/repositories/batch-run-repository.ts';

export type LogFormat = 'txt' | 'json';

export interface LogDownload {
  filename: string;
  contentType: string;
  body: string;
}

/**
 * A calculation's full activity log as a file a user can attach to a support request: plain
 * text (one line per entry, errors listed after) or JSON (the same entries and errors).
 */
export function onboardingLogDownload(
  portfolioId: string,
  row: BatchRunRow,
  format: LogFormat,
): LogDownload {
  const base = `onboarding-${portfolioId}-${row.id}`;
  if (format === 'json') {
    const body = {
      portfolio_id: portfolioId,
      batch_run_id: row.id,
      status: row.status,
      mode: row.mode,
      calculation_date: row.calculationDate,
      triggered_by: row.triggeredBy,
      created_at: row.createdAt,
      started_at: row.startedAt,
      completed_at: row.completedAt,
      activity_log: row.activityLog.map((e) => ({
        timestamp: e.timestamp,
        message: e.message,
        level: e.level,
      })),
      errors: row.errors,
    };
    return {
      filename: `${base}.json`,
      contentType: 'application/json; charset=utf-8',
      body: `${JSON.stringify(body, null, 2)}\n`,
    };
  }
  const lines = [
    `# Onboarding calculation ${row.id} for portfolio ${portfolioId}`,
    `# status ${row.status}, mode ${row.mode ?? '-'}, date ${row.calculationDate ?? '-'}, triggered by ${row.triggeredBy}`,
    ...row.activityLog.map((e) => `${e.timestamp} ${e.level.toUpperCase().padEnd(7)} ${e.message}`),
  ];
  if (row.errors.length > 0) {
    lines.push(`# ${row.errors.length} error(s)`);
    for (const e of row.errors) {
      const subject = e.symbol ?? e.portfolio_id ?? '-';
      lines.push(`ERROR ${e.phase} ${e.code} ${subject}: ${e.message}`);
    }
  }
  return {
    filename: `${base}.txt`,
    contentType: 'text/plain; charset=utf-8',
    body: `${lines.join('\n')}\n`,
  };
}
