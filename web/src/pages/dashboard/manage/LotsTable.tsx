import { ActionIcon, Group, Stack, Text, Tooltip } from '@mantine/core';
import { IconCoin, IconPencil, IconTrash } from '@tabler/icons-react';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { PositionDetail } from '../../../api/types.ts';
import { DataTable } from '../../../components/DataTable.tsx';
import { Num } from '../../../components/numbers.tsx';
import {
  compareLots,
  isExpired,
  isSold,
  lotKind,
  realizedPnl,
} from '../../../features/manage/lots.ts';
import {
  formatDate,
  formatPrice,
  formatQuantity,
  formatSignedMoney,
  MISSING,
} from '../../../lib/format.ts';

export type LotAction = 'edit' | 'sell' | 'remove';

const col = createColumnHelper<PositionDetail>();

/** "AAPL lot of Jul 1, 2026" — what an action button acts on, for its accessible name. */
export const lotName = (lot: PositionDetail) =>
  `${formatQuantity(lot.quantity)} ${lot.symbol} of ${formatDate(lot.entry_date)}`;

function Actions({
  lot,
  onAction,
}: {
  lot: PositionDetail;
  onAction: (action: LotAction, lot: PositionDetail) => void;
}) {
  const name = lotName(lot);
  return (
    <Group gap={2} wrap="nowrap" justify="flex-end">
      <Tooltip label="Correct">
        <ActionIcon
          variant="subtle"
          aria-label={`Correct ${name}`}
          onClick={() => onAction('edit', lot)}
        >
          <IconPencil size={16} />
        </ActionIcon>
      </Tooltip>
      {!isSold(lot) && !isExpired(lot) && (
        <Tooltip label="Sell">
          <ActionIcon
            variant="subtle"
            aria-label={`Sell ${name}`}
            onClick={() => onAction('sell', lot)}
          >
            <IconCoin size={16} />
          </ActionIcon>
        </Tooltip>
      )}
      <Tooltip label="Remove">
        <ActionIcon
          variant="subtle"
          color="red"
          aria-label={`Remove ${name}`}
          onClick={() => onAction('remove', lot)}
        >
          <IconTrash size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}

/** The lots of a portfolio as entered — open ones first, then sold ones with their exit. */
export function LotsTable({
  lots,
  onAction,
}: {
  lots: PositionDetail[];
  onAction: (action: LotAction, lot: PositionDetail) => void;
}) {
  const sorted = useMemo(() => [...lots].sort(compareLots), [lots]);
  const columns = useMemo(
    () => [
      col.accessor('symbol', {
        header: 'Symbol',
        cell: (c) => (
          <Stack gap={0}>
            <Text size="sm" fw={600}>
              {c.getValue()}
            </Text>
            {c.row.original.company_name && (
              <Text size="xs" c="dimmed" truncate maw={200}>
                {c.row.original.company_name}
              </Text>
            )}
          </Stack>
        ),
        meta: { hideOnCard: true },
      }),
      col.accessor((r) => lotKind(r), { id: 'type', header: 'Type' }),
      col.accessor('quantity', {
        header: 'Quantity',
        cell: (c) => <Num value={c.getValue()} text={formatQuantity(c.getValue())} size="sm" />,
        meta: { numeric: true },
      }),
      col.accessor('entry_date', {
        header: 'Entry',
        cell: (c) => (
          <Text size="sm" span style={{ whiteSpace: 'nowrap' }}>
            {formatDate(c.getValue())} · {formatPrice(c.row.original.entry_price)}
          </Text>
        ),
      }),
      col.accessor((r) => r.exit_date ?? '', {
        id: 'exit',
        header: 'Exit',
        cell: (c) => {
          const lot = c.row.original;
          if (isExpired(lot)) {
            return (
              <Text size="sm" span c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                expired {formatDate(lot.expiration_date)}
              </Text>
            );
          }
          return isSold(lot) ? (
            <Text size="sm" span style={{ whiteSpace: 'nowrap' }}>
              {formatDate(lot.exit_date)} · {formatPrice(lot.exit_price)}
            </Text>
          ) : (
            <Text size="sm" span c="dimmed">
              open
            </Text>
          );
        },
      }),
      col.accessor((r) => realizedPnl(r), {
        id: 'realized',
        header: 'Realized P&L',
        cell: (c) => {
          const pnl = c.getValue();
          return pnl === null ? (
            <Text size="sm" span c="dimmed">
              {MISSING}
            </Text>
          ) : (
            <Num value={pnl} text={formatSignedMoney(pnl)} colored size="sm" />
          );
        },
        meta: { numeric: true },
        sortUndefined: 'last',
      }),
      col.accessor((r) => r.notes ?? '', {
        id: 'notes',
        header: 'Notes',
        cell: (c) => (
          <Text
            size="sm"
            c={c.getValue() ? undefined : 'dimmed'}
            truncate
            maw={220}
            title={c.getValue()}
          >
            {c.getValue() || MISSING}
          </Text>
        ),
        enableSorting: false,
      }),
      col.display({
        id: 'actions',
        header: 'Actions',
        cell: (c) => <Actions lot={c.row.original} onAction={onAction} />,
      }),
    ],
    [onAction],
  );
  return (
    <DataTable
      data={sorted}
      columns={columns}
      label="Lots"
      getRowId={(r) => r.id}
      cardTitle={(r) => (
        <Text fw={600} size="sm">
          {r.symbol}
        </Text>
      )}
      emptyText="No lots yet. Add one, or import a CSV."
      testId="lots-table"
      maxHeight={520}
    />
  );
}
