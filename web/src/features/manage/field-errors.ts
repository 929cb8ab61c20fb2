import { ApiError, messageOf } from '../../api/errors.ts';

/** Messages by form field (the API's JSON field names), plus what names no field. */
export interface FieldErrors {
  fields: Record<string, string>;
  /** Messages that belong to no field of the form (shown above the buttons). */
  general: string[];
}

interface Issue {
  row?: unknown;
  field?: unknown;
  message?: unknown;
}

function issuesOf(details: Record<string, unknown> | undefined): Issue[] {
  const list = details?.errors ?? details?.issues;
  return Array.isArray(list) ? (list as Issue[]) : [];
}

/**
 * Where an API error belongs on a lot form. The lot routes answer in two ways: row rules
 * (ERR_LOTS_INVALID, `details.errors: [{row, field, message}]`, row = the lot's index) and
 * request validation (ERR_VALIDATION, `details.issues: [{field, message}]`, where a field of
 * the n-th lot of an array is `n.field`). `row` picks the lot this form stands for (0 for a
 * one-lot add); fields the form does not show become general messages, as does an error with
 * no details at all.
 */
export function fieldErrorsOf(error: unknown, formFields: readonly string[], row = 0): FieldErrors {
  const result: FieldErrors = { fields: {}, general: [] };
  if (!(error instanceof ApiError)) {
    if (error) result.general.push(messageOf(error));
    return result;
  }
  const issues = issuesOf(error.details);
  if (issues.length === 0) {
    result.general.push(error.message);
    return result;
  }
  for (const issue of issues) {
    const message = typeof issue.message === 'string' ? issue.message : error.message;
    let field = typeof issue.field === 'string' ? issue.field : '';
    let issueRow = typeof issue.row === 'number' ? issue.row : row;
    const indexed = /^(\d+)\.(.+)$/.exec(field);
    if (indexed) {
      issueRow = Number(indexed[1]);
      field = indexed[2]!;
    }
    if (issueRow !== row) continue;
    if (formFields.includes(field)) {
      // The first message of a field is the one to fix first; later ones repeat the point.
      result.fields[field] ??= message;
    } else if (!result.general.includes(message)) {
      result.general.push(message);
    }
  }
  if (Object.keys(result.fields).length === 0 && result.general.length === 0) {
    result.general.push(error.message);
  }
  return result;
}
