import type { AccountType } from '../api/types.ts';

/** The account types of the upload form, in the order people look for them. */
export const ACCOUNT_TYPE_LABELS: Record<AccountType, string> = {
  taxable: 'Taxable brokerage',
  ira: 'Traditional IRA',
  roth_ira: 'Roth IRA',
  '401k': '401(k)',
  '403b': '403(b)',
  '529': '529',
  hsa: 'HSA',
  trust: 'Trust',
  other: 'Other',
};

export const ACCOUNT_TYPE_OPTIONS = (
  ['taxable', 'ira', 'roth_ira', '401k', '403b', '529', 'hsa', 'trust', 'other'] as AccountType[]
).map((value) => ({ value, label: ACCOUNT_TYPE_LABELS[value] }));

export function accountTypeLabel(type: string): string {
  return ACCOUNT_TYPE_LABELS[type as AccountType] ?? type;
}
