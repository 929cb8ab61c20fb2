import { Card, Group, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import {
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type RowData,
  type SortingState,
} from '@tanstack/react-table';
import { useState, type ReactNode } from 'react';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Numbers align right. */
    numeric?: boolean;
    /** Left out of the phone card (e.g. the column the card's title already shows). */
    hideOnCard?: boolean;
    /** The phone card's label when the header is not plain text. */
    label?: string;
  }
}

/** Phones: below this width tables become cards (nothing scrolls sideways at 390 px). */
export const PHONE_QUERY = '(max-width: 48em)';

interface DataTableProps<T> {
  data: T[];
  // Column value types differ per column; TanStack's own examples type the array this way.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[];
  /** The table's accessible name. */
  label: string;
  getRowId?: (row: T) => string;
  globalFilter?: string;
  initialSorting?: SortingState;
  /** The heading of a row's phone card. */
  cardTitle: (row: T) => ReactNode;
  emptyText: string;
  /** A totals row: its label and the cells by column id (a card on phones). */
  footer?: { label: string; cells: Record<string, ReactNode> };
  testId?: string;
  maxHeight?: number | string;
}

/**
 * A dense sortable, filterable table (TanStack Table) with a sticky header and first column;
 * at phone width every row becomes a card of label/value lines.
 */
export function DataTable<T>({
  data,
  columns,
  label,
  getRowId,
  globalFilter,
  initialSorting = [],
  cardTitle,
  emptyText,
  footer,
  testId,
  maxHeight,
}: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const phone = useMediaQuery(PHONE_QUERY);
  // TanStack Table returns functions that change identity every render, so the React Compiler
  // leaves this component alone (it is not used here); the lint rule only reports that.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data,
    columns,
    state: { sorting, globalFilter },
    onSortingChange: setSorting,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    globalFilterFn: 'includesString',
  });
  const rows = table.getRowModel().rows;

  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {emptyText}
      </Text>
    );
  }

  if (phone) {
    return (
      <Stack gap="xs" data-testid={testId} aria-label={label} role="list">
        {rows.map((row) => (
          <Card key={row.id} padding="sm" role="listitem" data-testid="table-card">
            <Text fw={650} mb={4} component="div">
              {cardTitle(row.original)}
            </Text>
            <Stack gap={2}>
              {row.getVisibleCells().map((cell) => {
                if (cell.column.columnDef.meta?.hideOnCard) return null;
                const header = cell.column.columnDef.header;
                return (
                  <Group key={cell.id} justify="space-between" gap="xs" wrap="nowrap">
                    <Text size="xs" c="dimmed">
                      {typeof header === 'string'
                        ? header
                        : (cell.column.columnDef.meta?.label ?? cell.column.id)}
                    </Text>
                    <Text size="sm" ta="right" component="div" style={{ minWidth: 0 }}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </Text>
                  </Group>
                );
              })}
            </Stack>
          </Card>
        ))}
        {footer && (
          <Card padding="sm" data-testid="table-footer">
            <Text fw={650} mb={4}>
              {footer.label}
            </Text>
            {Object.entries(footer.cells).map(([id, value]) => {
              const header = table.getColumn(id)?.columnDef.header;
              return (
                <Group key={id} justify="space-between" gap="xs" wrap="nowrap">
                  <Text size="xs" c="dimmed">
                    {typeof header === 'string'
                      ? header
                      : (table.getColumn(id)?.columnDef.meta?.label ?? id)}
                  </Text>
                  <Text size="sm" component="div">
                    {value}
                  </Text>
                </Group>
              );
            })}
          </Card>
        )}
      </Stack>
    );
  }

  return (
    <div
      className="bb-table-wrap"
      // A scroll box must be reachable by keyboard (arrow keys scroll it once focused).
      tabIndex={0}
      role="region"
      aria-label={label}
      data-testid={testId}
      style={maxHeight ? { maxHeight } : undefined}
    >
      <Table
        striped
        highlightOnHover
        verticalSpacing={6}
        horizontalSpacing="sm"
        fz="sm"
        aria-label={label}
        style={{ minWidth: '100%' }}
      >
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                const numeric = header.column.columnDef.meta?.numeric;
                const title = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <Table.Th
                    key={header.id}
                    ta={numeric ? 'right' : 'left'}
                    style={{ whiteSpace: 'nowrap' }}
                    aria-sort={
                      sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                    }
                  >
                    {header.column.getCanSort() ? (
                      <button
                        type="button"
                        className="bb-sort-button"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        {title}
                        {sorted === 'asc' ? (
                          <IconArrowUp size={13} aria-hidden />
                        ) : sorted === 'desc' ? (
                          <IconArrowDown size={13} aria-hidden />
                        ) : (
                          <IconSelector size={13} aria-hidden opacity={0.5} />
                        )}
                      </button>
                    ) : (
                      title
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <Table.Td
                  key={cell.id}
                  ta={cell.column.columnDef.meta?.numeric ? 'right' : 'left'}
                  style={{ whiteSpace: 'nowrap' }}
                >
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
        {footer && (
          <Table.Tfoot>
            <Table.Tr>
              {table.getVisibleLeafColumns().map((column, i) => (
                <Table.Td
                  key={column.id}
                  fw={650}
                  ta={column.columnDef.meta?.numeric ? 'right' : 'left'}
                  style={{ whiteSpace: 'nowrap' }}
                >
                  {i === 0 ? footer.label : footer.cells[column.id]}
                </Table.Td>
              ))}
            </Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
    </div>
  );
}
