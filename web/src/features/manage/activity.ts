import { formatDate, formatMoney, formatPrice, formatQuantity } from '../../lib/format.ts';

/** One entry of GET /portfolios/{id}/activity (before/after are the API's JSON snapshots). */
export interface ActivityEntryLike {
  action: string;
  before: unknown;
  after: unknown;
}

/** One field that changed, formatted both sides. */
export interface FieldChange {
  label: string;
  before: string;
  after: string;
}

export interface ActivityText {
  /** What happened, in a sentence: "Sold 50 AAPL at $160.10 on Jul 1, 2026". */
  title: string;
  /** Field by field, before → after (corrections, partial sales). */
  changes: FieldChange[];
  kind: 'added' | 'changed' | 'sold' | 'removed' | 'calculation' | 'other';
}

interface LotSnapshot {
  symbol?: string;
  quantity?: number;
  entry_price?: number;
  entry_date?: string;
  exit_date?: string | null;
  exit_price?: number | null;
  notes?: string | null;
}

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : {};

const lotOf = (v: unknown): LotSnapshot => record(v) as LotSnapshot;

const describeLot = (lot: LotSnapshot) =>
  `${formatQuantity(lot.quantity)} ${lot.symbol ?? '?'} at ${formatPrice(lot.entry_price)} on ${formatDate(lot.entry_date)}`;

const notesText = (v: string | null | undefined) => (v ? `“${v}”` : 'none');

const LOT_FIELDS: { key: keyof LotSnapshot; label: string; format: (v: never) => string }[] = [
  { key: 'quantity', label: 'Quantity', format: formatQuantity },
  { key: 'entry_price', label: 'Entry price', format: formatPrice },
  { key: 'entry_date', label: 'Entry date', format: formatDate },
  { key: 'exit_date', label: 'Exit date', format: formatDate },
  { key: 'exit_price', label: 'Exit price', format: formatPrice },
  { key: 'notes', label: 'Notes', format: notesText },
];

/** The fields of a lot that differ between two snapshots. */
export function lotChanges(before: unknown, after: unknown): FieldChange[] {
  const a = lotOf(before);
  const b = lotOf(after);
  return LOT_FIELDS.filter(({ key }) => (a[key] ?? null) !== (b[key] ?? null)).map(
    ({ key, label, format }) => ({
      label,
      before: format(a[key] as never),
      after: format(b[key] as never),
    }),
  );
}

function equityText(v: unknown): string {
  const e = record(v);
  const kind = e.change_type === 'WITHDRAWAL' ? 'withdrawal' : 'contribution';
  return `${kind} of ${formatMoney(e.amount as number)} on ${formatDate(e.change_date as string)}`;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** An activity entry in words, for the Activity tab. */
export function describeActivity(entry: ActivityEntryLike): ActivityText {
  const { action, before, after } = entry;
  switch (action) {
    case 'position.added':
    case 'position.imported':
      return {
        title: `${action === 'position.added' ? 'Added' : 'Imported'} ${describeLot(lotOf(after))}`,
        changes: [],
        kind: 'added',
      };
    case 'position.updated':
      return {
        title: `Corrected ${lotOf(before).symbol ?? lotOf(after).symbol ?? 'a lot'}`,
        changes: lotChanges(before, after),
        kind: 'changed',
      };
    case 'position.closed': {
      const was = lotOf(before);
      const a = record(after);
      const partial = 'sold' in a;
      const sold = lotOf(partial ? a.sold : after);
      const remaining = partial ? lotOf(a.remaining) : null;
      return {
        title: `Sold ${formatQuantity(sold.quantity)} ${sold.symbol ?? was.symbol ?? '?'} at ${formatPrice(sold.exit_price)} on ${formatDate(sold.exit_date)}`,
        changes: [
          {
            label: 'Open quantity',
            before: formatQuantity(was.quantity),
            after: formatQuantity(remaining?.quantity ?? 0),
          },
        ],
        kind: 'sold',
      };
    }
    case 'position.deleted':
      return { title: `Removed ${describeLot(lotOf(before))}`, changes: [], kind: 'removed' };
    case 'equity_change.added':
      return { title: `Recorded a ${equityText(after)}`, changes: [], kind: 'added' };
    case 'equity_change.deleted':
      return { title: `Deleted a ${equityText(before)}`, changes: [], kind: 'removed' };
    case 'calculation': {
      const run = record(after);
      const status = typeof run.status === 'string' ? run.status : 'unknown';
      const mode = typeof run.mode === 'string' ? ` (${run.mode})` : '';
      const asOf =
        typeof run.calculation_date === 'string'
          ? `, as of ${formatDate(run.calculation_date)}`
          : '';
      return {
        title: `Calculation${mode} ${status}${asOf}`,
        changes: [],
        kind: 'calculation',
      };
    }
    default:
      return { title: capitalised(action.replace(/[._]/g, ' ')), changes: [], kind: 'other' };
  }
}
