/**
 * The two CSV uploads of onboarding: a dry run that only reports, and portfolio creation that
 * writes the portfolio and its positions in one transaction or nothing at all (SPEC §2).
 */
import {
  parsePositionsCsvInSteps,
  type CsvError,
  type ParsedPosition,
  type ParsePositionsCsvResult,
} from '../../domain/csv/parse-positions-csv.ts';
import type { Db } from '../../db/database.ts';
import {
  DuplicateAccountNameError,
  PortfolioRepository,
  type PortfolioRow,
} from '../../db/repositories/portfolio-repository.ts';
import {
  checkPortfolioFields,
  PORTFOLIO_ERRORS,
  UPLOAD_FIELD_NAMES,
  type FieldError,
  type PortfolioFields,
  type RawPortfolioFields,
} from './portfolio-fields.ts';
import { newPositionsFromCsv } from '../../pipeline/onboarding/new-positions-from-csv.ts';
import { ok, refused, type Outcome, type Problem } from './problem.ts';

/** An uploaded CSV as the HTTP layer read it; `undefined` = not sent, `'not_a_file'` = sent as text. */
export type CsvUpload =
  { name: string; size: number; bytes: Uint8Array } | undefined | 'not_a_file';

export const CSV_FIELD = 'csv_file';

/** One error in the `details.errors` list: CSV problems and form-field problems alike. */
export type UploadError = CsvError | (FieldError & { row: null; symbol: null });

/**
 * Parses an uploaded CSV, letting the event loop run between steps of a few thousand rows: a
 * 10 MB file takes a second or two to check, and other requests (a health probe, another
 * user's dashboard) must not wait for it.
 */
export async function checkCsv(
  file: { name: string; size: number; bytes: Uint8Array },
  today: string,
): Promise<ParsePositionsCsvResult> {
  const steps = parsePositionsCsvInSteps({
    bytes: file.bytes,
    fileName: file.name,
    byteLength: file.size,
    today,
  });
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Rows of parsed positions the dry run shows; `total_positions` counts them all. */
export const VALIDATION_PREVIEW_ROWS = 200;
/** Errors the dry run lists; `total_errors` counts them all. */
export const VALIDATION_MAX_ERRORS = 500;

/** The "no file" problem, shared by both uploads. */
export function missingFileError(file: 'not_a_file' | undefined): FieldError {
  return {
    field: CSV_FIELD,
    code: PORTFOLIO_ERRORS.fileRequired,
    message:
      file === 'not_a_file'
        ? `Field "${CSV_FIELD}" must be a file upload (the positions CSV), not a text value`
        : `A positions CSV file is required in form field "${CSV_FIELD}"`,
  };
}

export function parsedPositionBody(p: ParsedPosition) {
  return {
    row: p.line,
    symbol: p.symbol,
    position_type: p.positionType,
    quantity: p.quantity,
    entry_price: p.entryPrice,
    entry_date: p.entryDate,
    investment_class: p.investmentClass,
    investment_subtype: p.investmentSubtype,
    underlying_symbol: p.underlyingSymbol,
    strike_price: p.strikePrice,
    expiration_date: p.expirationDate,
    option_type: p.optionType,
    exit_date: p.exitDate,
    exit_price: p.exitPrice,
  };
}

/** The dry run's answer (`POST /onboarding/validate-csv`). */
export function validationBody(result: ParsePositionsCsvResult) {
  return {
    valid: result.totalErrors === 0,
    positions: result.positions.slice(0, VALIDATION_PREVIEW_ROWS).map(parsedPositionBody),
    total_positions: result.positions.length,
    errors: result.errors.slice(0, VALIDATION_MAX_ERRORS),
    total_errors: result.totalErrors,
    truncated:
      result.positions.length > VALIDATION_PREVIEW_ROWS ||
      result.totalErrors > VALIDATION_MAX_ERRORS,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Every problem of the upload in one answer. The code is the first form-field problem's, else
 * ERR_PORT_008 when the CSV is invalid, else ERR_PORT_001; only a duplicate account name on an
 * otherwise valid upload is a 409 (a conflict with existing data rather than a bad request).
 * `details.errors` lists them all — field problems (row null) first, then the CSV's — and
 * `details.total_errors` counts them, including CSV errors past the reporting cap.
 */
function uploadProblem(fieldErrors: FieldError[], csv: ParsePositionsCsvResult | null): Problem {
  const csvTotal = csv?.totalErrors ?? 0;
  const errors: UploadError[] = [
    ...fieldErrors.map((e) => ({ row: null, symbol: null, ...e })),
    ...(csv?.errors ?? []),
  ].slice(0, VALIDATION_MAX_ERRORS);
  const total = fieldErrors.length + csvTotal;
  const details = { errors, total_errors: total };
  const leading = fieldErrors.find((e) => e.code !== PORTFOLIO_ERRORS.duplicateAccountName);
  const more = (shown: number) =>
    total > shown ? ` (${plural(total - shown, 'more problem')} in details.errors)` : '';
  if (leading) {
    return {
      status: 400,
      code: leading.code,
      message: `${leading.message}; nothing was saved${more(1)}`,
      details,
    };
  }
  if (csvTotal > 0) {
    const first = csv!.errors[0]!;
    const where = first.row === null ? '' : `line ${first.row}: `;
    return {
      status: 400,
      code: PORTFOLIO_ERRORS.csvInvalid,
      message:
        `The CSV has ${plural(csvTotal, 'problem')}, so nothing was saved; fix them all and ` +
        `upload again. First: ${where}${first.message}` +
        (fieldErrors.length > 0 ? ` (the account name is also already in use)` : ''),
      details,
    };
  }
  return {
    status: 409,
    code: PORTFOLIO_ERRORS.duplicateAccountName,
    message: fieldErrors[0]!.message,
    details,
  };
}

function duplicateNameError(accountName: string): FieldError {
  return {
    field: UPLOAD_FIELD_NAMES.accountName,
    code: PORTFOLIO_ERRORS.duplicateAccountName,
    message: `You already have a portfolio with the account name "${accountName}"; choose another name`,
  };
}

export interface CreatedFromUpload {
  portfolio: PortfolioRow;
  positionsImported: number;
}

/** `POST /onboarding/create-portfolio`: all checks first, then one transaction. */
export async function createPortfolioFromUpload(
  db: Db,
  input: { userId: string; fields: RawPortfolioFields; file: CsvUpload; today: string },
): Promise<Outcome<CreatedFromUpload>> {
  const repo = new PortfolioRepository(db);
  const { values, errors } = checkPortfolioFields(input.fields, UPLOAD_FIELD_NAMES, 'create');
  if (
    values.accountName !== undefined &&
    (await repo.accountNameTaken(input.userId, values.accountName))
  ) {
    errors.push(duplicateNameError(values.accountName));
  }
  let csv: ParsePositionsCsvResult | null = null;
  if (input.file === undefined || input.file === 'not_a_file') {
    errors.push(missingFileError(input.file));
  } else {
    csv = await checkCsv(input.file, input.today);
  }
  if (errors.length > 0 || csv === null || csv.totalErrors > 0) {
    return refused(uploadProblem(errors, csv));
  }

  const fields = values as PortfolioFields;
  try {
    const portfolio = await repo.createWithPositions({
      userId: input.userId,
      name: fields.name,
      description: fields.description,
      accountName: fields.accountName,
      accountType: fields.accountType,
      equityBalance: fields.equityBalance,
      positions: newPositionsFromCsv(csv.positions),
    });
    return ok({ portfolio, positionsImported: csv.positions.length });
  } catch (error) {
    // Another request took the name between the check above and the insert.
    if (error instanceof DuplicateAccountNameError) {
      return refused(uploadProblem([duplicateNameError(fields.accountName)], null));
    }
    throw error;
  }
}
