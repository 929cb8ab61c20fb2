/**
 * The portfolio's own fields (SPEC §2 "Portfolio errors") checked the same way for the onboarding
 * upload (multipart text) and the JSON CRUD routes, so ERR_PORT_002…011 mean one thing
 * everywhere. Every field is checked and every problem reported, not just the first.
 */
import { ACCOUNT_TYPES, type AccountType } from '../../db/schema/enums.ts';

export const PORTFOLIO_NAME_MAX_LENGTH = 255;
export const ACCOUNT_NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 2000;
/** SPEC §2: equity ≤ 1e12 [ERR_PORT_006]. */
export const MAX_EQUITY_BALANCE = 1e12;

export const PORTFOLIO_ERRORS = {
  duplicateAccountName: 'ERR_PORT_001',
  nameRequired: 'ERR_PORT_002',
  nameTooLong: 'ERR_PORT_003',
  equityRequired: 'ERR_PORT_004',
  equityNotPositive: 'ERR_PORT_005',
  equityTooLarge: 'ERR_PORT_006',
  fileRequired: 'ERR_PORT_007',
  csvInvalid: 'ERR_PORT_008',
  accountType: 'ERR_PORT_009',
  accountNameTooLong: 'ERR_PORT_010',
  accountNameRequired: 'ERR_PORT_011',
} as const;

/** The SPEC has no code for the description; a too-long one is a plain validation error. */
export const GENERIC_VALIDATION = 'ERR_VALIDATION';

export interface FieldError {
  /** The request's name for the field (`portfolio_name` in the upload, `name` in JSON). */
  field: string;
  code: string;
  message: string;
}

export interface PortfolioFields {
  name: string;
  accountName: string;
  accountType: AccountType;
  /** Exact decimal text; the numeric(24,2) column rounds it to the cent (half away from 0). */
  equityBalance: string;
  description: string | null;
}

export type PortfolioFieldKey = keyof PortfolioFields;

/** Raw values as received; `undefined` means the field was not sent. */
export type RawPortfolioFields = Partial<Record<PortfolioFieldKey, unknown>>;

export const UPLOAD_FIELD_NAMES: Record<PortfolioFieldKey, string> = {
  name: 'portfolio_name',
  accountName: 'account_name',
  accountType: 'account_type',
  equityBalance: 'equity_balance',
  description: 'description',
};

export const JSON_FIELD_NAMES: Record<PortfolioFieldKey, string> = {
  ...UPLOAD_FIELD_NAMES,
  name: 'name',
};

const ACCOUNT_TYPE_LIST = ACCOUNT_TYPES.join(', ');

/** One field's value, or why it was refused. */
type FieldCheck<T> = { value: T } | { code: string; message: string };

/**
 * Checks the fields present in `raw`. `create` requires name, account name, account type and
 * equity; `update` checks only what was sent (a partial update).
 */
export function checkPortfolioFields(
  raw: RawPortfolioFields,
  names: Record<PortfolioFieldKey, string>,
  mode: 'create' | 'update',
): { values: Partial<PortfolioFields>; errors: FieldError[] } {
  const values: Partial<PortfolioFields> = {};
  const errors: FieldError[] = [];
  const take = <K extends PortfolioFieldKey>(key: K, check: FieldCheck<PortfolioFields[K]>) => {
    if ('value' in check) values[key] = check.value;
    else errors.push({ field: names[key], code: check.code, message: check.message });
  };
  const wanted = (key: PortfolioFieldKey) => mode === 'create' || raw[key] !== undefined;

  if (wanted('name')) take('name', checkName(raw.name));
  if (wanted('accountName')) take('accountName', checkAccountName(raw.accountName));
  if (wanted('accountType')) take('accountType', checkAccountType(raw.accountType));
  if (wanted('equityBalance')) take('equityBalance', checkEquityBalance(raw.equityBalance));
  if (raw.description !== undefined) take('description', checkDescription(raw.description));
  else if (mode === 'create') values.description = null;

  return { values, errors };
}

function checkName(raw: unknown): FieldCheck<string> {
  const name = requiredText(raw);
  if (name === null)
    return { code: PORTFOLIO_ERRORS.nameRequired, message: 'Portfolio name is required' };
  if (name.length > PORTFOLIO_NAME_MAX_LENGTH) {
    return {
      code: PORTFOLIO_ERRORS.nameTooLong,
      message: `Portfolio name is ${name.length} characters; at most ${PORTFOLIO_NAME_MAX_LENGTH} are allowed`,
    };
  }
  return { value: name };
}

function checkAccountName(raw: unknown): FieldCheck<string> {
  const accountName = requiredText(raw);
  if (accountName === null)
    return { code: PORTFOLIO_ERRORS.accountNameRequired, message: 'Account name is required' };
  if (accountName.length > ACCOUNT_NAME_MAX_LENGTH) {
    return {
      code: PORTFOLIO_ERRORS.accountNameTooLong,
      message: `Account name is ${accountName.length} characters; at most ${ACCOUNT_NAME_MAX_LENGTH} are allowed`,
    };
  }
  return { value: accountName };
}

function checkAccountType(raw: unknown): FieldCheck<AccountType> {
  const accountType = parseAccountType(raw);
  if (accountType !== null) return { value: accountType };
  const given = requiredText(raw);
  return {
    code: PORTFOLIO_ERRORS.accountType,
    message:
      given === null
        ? `Account type is required: one of ${ACCOUNT_TYPE_LIST}`
        : `Account type "${given.slice(0, 40)}" is not one of ${ACCOUNT_TYPE_LIST}`,
  };
}

function checkEquityBalance(raw: unknown): FieldCheck<string> {
  const money = parseMoney(raw);
  if (money === null) {
    return {
      code: PORTFOLIO_ERRORS.equityRequired,
      message:
        requiredText(raw) === null && typeof raw !== 'number'
          ? 'Equity balance (the account value in dollars) is required'
          : 'Equity balance must be an amount in dollars, e.g. 250000 or 250,000.00',
    };
  }
  if (money.value > MAX_EQUITY_BALANCE) {
    return {
      code: PORTFOLIO_ERRORS.equityTooLarge,
      message: 'Equity balance may be at most 1,000,000,000,000 (one trillion) dollars',
    };
  }
  if (Math.round(money.value * 100) <= 0) {
    return {
      code: PORTFOLIO_ERRORS.equityNotPositive,
      message: 'Equity balance must be greater than 0 (at least one cent)',
    };
  }
  return { value: money.text };
}

/** Optional text; blank (or null) clears it. */
function checkDescription(raw: unknown): FieldCheck<string | null> {
  if (raw !== null && typeof raw !== 'string')
    return { code: GENERIC_VALIDATION, message: 'Description must be text' };
  const description = raw === null ? '' : raw.trim();
  if (description.length > DESCRIPTION_MAX_LENGTH) {
    return {
      code: GENERIC_VALIDATION,
      message: `Description is ${description.length} characters; at most ${DESCRIPTION_MAX_LENGTH} are allowed`,
    };
  }
  return { value: description === '' ? null : description };
}

/** Trimmed non-empty text, or null when missing, blank or not text. */
function requiredText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** `Roth IRA`, `roth-ira` and `roth_ira` all name the same account type. */
function parseAccountType(value: unknown): AccountType | null {
  const text = requiredText(value);
  if (text === null) return null;
  const normalized = text.toLowerCase().replace(/[\s-]+/g, '_');
  return (ACCOUNT_TYPES as readonly string[]).includes(normalized)
    ? (normalized as AccountType)
    : null;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A dollar amount from JSON (a number or numeric text) or a form field, where people type
 * `$250,000.00`: a leading `$`, thousands commas and spaces are accepted. `text` is the decimal
 * as written (for an exact numeric column), `value` the number (for range checks). Null when
 * it is not a finite number.
 */
export function parseMoney(value: unknown): { text: string; value: number } | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { text: String(value), value } : null;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/^\$/, '').replace(/[,\s]/g, '');
  if (!DECIMAL.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? { text, value: n } : null;
}
