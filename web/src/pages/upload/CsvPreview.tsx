import { Group, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { ParsedPosition } from '../../api/types.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { Tag } from '../../components/Tag.tsx';
import {
  formatDate,
  formatInteger,
  formatMoney,
  formatPrice,
  formatQuantity,
} from '../../lib/format.ts';

const col = createColumnHelper<ParsedPosition>();

const TYPE_LABELS: Record<ParsedPosition['position_type'], string> = {
  LONG: 'Long',
  SHORT: 'Short',
  LC: 'Long call',
  LP: 'Long put',
  SC: 'Short call',
  SP: 'Short put',
};

function optionTerms(p: ParsedPosition): string {
  if (p.investment_class !== 'OPTIONS') return '';
  return `${p.underlying_symbol ?? ''} ${formatPrice(p.strike_price)} ${p.option_type ?? ''} ${formatDate(p.expiration_date)}`.trim();
}

/** Cost of a lot as entered: quantity × entry price (× 100 shares per option contract). */
function entryCost(p: ParsedPosition): number {
  return p.quantity * p.entry_price * (p.investment_class === 'OPTIONS' ? 100 : 1);
}

/**
 * The dry run's parsed rows: what would be imported. A large file's answer carries only the
 * first rows (`total` counts them all).
 */
export function CsvPreview({
  positions,
  total = positions.length,
}: {
  positions: ParsedPosition[];
  total?: number;
}) {
  const columns = useMemo(
    () => [
      col.accessor('symbol', { header: 'Symbol', meta: { hideOnCard: true } }),
      col.accessor((p) => TYPE_LABELS[p.position_type], { id: 'type', header: 'Type' }),
      col.accessor('quantity', {
        header: 'Quantity',
        cell: (c) => formatQuantity(c.getValue()),
        meta: { numeric: true },
      }),
      col.accessor('entry_price', {
        header: 'Entry price',
        cell: (c) => formatPrice(c.getValue()),
        meta: { numeric: true },
      }),
      col.accessor('entry_date', { header: 'Entry date', cell: (c) => formatDate(c.getValue()) }),
      col.accessor(optionTerms, { id: 'terms', header: 'Option terms' }),
      col.accessor((p) => (p.exit_date ? `Closed ${formatDate(p.exit_date)}` : 'Open'), {
        id: 'state',
        header: 'State',
      }),
    ],
    [],
  );
  const open = positions.filter((p) => !p.exit_date);
  const cost = open.reduce((sum, p) => sum + entryCost(p), 0);
  return (
    <div data-testid="csv-preview">
      <Group gap="xs" mb="xs">
        <Tag tone="good">File is valid</Tag>
        {total > positions.length ? (
          <Text size="sm" data-testid="csv-preview-total">
            {formatInteger(total)} positions · the first {formatInteger(positions.length)} are shown
            below
          </Text>
        ) : (
          <Text size="sm" data-testid="csv-preview-total">
            {formatInteger(positions.length)} position{positions.length === 1 ? '' : 's'} (
            {formatInteger(open.length)} open) · entry cost of open lots {formatMoney(cost)}
          </Text>
        )}
      </Group>
      <DataTable
        data={positions}
        columns={columns}
        label="Parsed positions"
        getRowId={(p) => String(p.row)}
        cardTitle={(p) => `${p.symbol} · ${TYPE_LABELS[p.position_type]}`}
        emptyText="The file holds no positions."
        maxHeight={320}
      />
    </div>
  );
}
