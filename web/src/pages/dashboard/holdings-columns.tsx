import { Anchor, Stack, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { Link } from 'react-router';
import type { PositionDetail } from '../../api/types.ts';
import { Num } from '../../components/numbers.tsx';
import {
  formatBeta,
  formatDate,
  formatDecimal,
  formatMoney,
  formatPercent,
  formatPrice,
  formatQuantity,
  formatSignedMoney,
  formatSignedPercentValue,
  MISSING,
} from '../../lib/format.ts';

/**
 * A holding with what the table adds: its weight of the NAV shown, its 90-day beta and (All
 * accounts) its portfolio's name.
 */
export interface HoldingRow extends PositionDetail {
  weight: number | null;
  beta90d: number | null;
  portfolioName: string;
}

const col = createColumnHelper<HoldingRow>();

function SymbolCell({ row }: { row: HoldingRow }) {
  const symbol = row.investment_class === 'PRIVATE' ? null : (row.underlying_symbol ?? row.symbol);
  return (
    <Stack gap={0} style={{ maxWidth: 240 }}>
      {symbol ? (
        <Anchor component={Link} to={`/symbols/${encodeURIComponent(symbol)}`} size="sm" fw={600}>
          {row.symbol}
        </Anchor>
      ) : (
        <Text size="sm" fw={600}>
          {row.symbol}
        </Text>
      )}
      {row.company_name && (
        <Text size="xs" c="dimmed" truncate>
          {row.company_name}
        </Text>
      )}
      {row.portfolioName && (
        <Text size="xs" c="dimmed" truncate>
          {row.portfolioName}
        </Text>
      )}
      {!row.is_open && (
        <Text size="xs" c="dimmed">
          closed {formatDate(row.exit_date)}
        </Text>
      )}
    </Stack>
  );
}

const symbolColumn = col.accessor(
  (r) => `${r.symbol} ${r.company_name ?? ''} ${r.underlying_symbol ?? ''} ${r.portfolioName}`,
  {
    id: 'symbol',
    header: 'Symbol',
    cell: (c) => <SymbolCell row={c.row.original} />,
    sortingFn: (a, b) => a.original.symbol.localeCompare(b.original.symbol),
    meta: { hideOnCard: true },
  },
);

/** `PRIVATE_EQUITY` → `Private equity`. */
function humanize(code: string | null): string {
  if (!code) return MISSING;
  const words = code.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const numeric = { meta: { numeric: true } } as const;

const quantity = col.accessor('quantity', {
  header: 'Quantity',
  cell: (c) => formatQuantity(c.getValue()),
  ...numeric,
});
const entryPrice = col.accessor('entry_price', {
  header: 'Entry price',
  cell: (c) => formatPrice(c.getValue()),
  ...numeric,
});
const price = col.accessor('current_price', {
  header: 'Price',
  cell: (c) => formatPrice(c.getValue()),
  ...numeric,
});
const marketValue = col.accessor('market_value', {
  header: 'Market value',
  cell: (c) => formatMoney(c.getValue()),
  ...numeric,
});
const weight = col.accessor('weight', {
  header: 'Weight',
  cell: (c) => formatPercent(c.getValue()),
  ...numeric,
});
const unrealized = col.accessor('unrealized_pnl', {
  header: 'Unrealized P&L',
  cell: (c) => <Num value={c.getValue()} text={formatSignedMoney(c.getValue())} colored />,
  ...numeric,
});
const unrealizedPct = col.accessor('unrealized_pnl_percent', {
  header: 'Unrealized %',
  cell: (c) => <Num value={c.getValue()} text={formatSignedPercentValue(c.getValue())} colored />,
  ...numeric,
});
const beta = col.accessor('beta90d', {
  header: 'Beta 90D',
  cell: (c) => formatBeta(c.getValue()),
  ...numeric,
});

/** Greeks headed by their letters (what option desks read), the name on hover and for readers. */
const greek = (
  key: 'delta' | 'gamma' | 'theta' | 'vega',
  letter: string,
  name: string,
  decimals: number,
) =>
  col.accessor((r) => r.greeks?.[key] ?? null, {
    id: key,
    header: () => (
      <abbr title={name} aria-label={name} style={{ textDecoration: 'none' }}>
        {letter}
      </abbr>
    ),
    cell: (c) => formatDecimal(c.getValue(), decimals),
    meta: { numeric: true, label: name },
  });

/** Stock and ETF sections (long and short). */
export function equityColumns() {
  return [
    symbolColumn,
    quantity,
    entryPrice,
    price,
    marketValue,
    weight,
    unrealized,
    unrealizedPct,
    beta,
  ];
}

/** Options: the contract's terms and Greeks (per position: × 100 × contracts). */
export function optionColumns() {
  return [
    symbolColumn,
    // Underlying, side, type, strike and expiry in one column, so the Greeks fit on screen.
    col.accessor('expiration_date', {
      id: 'contract',
      header: 'Contract',
      cell: (c) => {
        const r = c.row.original;
        return (
          <Stack gap={0}>
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {r.underlying_symbol ?? MISSING} {r.quantity < 0 ? 'short' : 'long'}{' '}
              {r.option_type === 'PUT' ? 'put' : 'call'} {formatPrice(r.strike_price)}
            </Text>
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              expires {formatDate(r.expiration_date)}
            </Text>
          </Stack>
        );
      },
    }),
    quantity,
    price,
    marketValue,
    unrealized,
    // No 90-day beta here: it would be the underlying's, and delta says what the option moves.
    greek('delta', 'Δ', 'Delta', 1),
    greek('gamma', 'Γ', 'Gamma', 2),
    greek('theta', 'Θ', 'Theta per day', 1),
    greek('vega', 'ν', 'Vega per volatility point', 1),
  ];
}

/** Private assets: marks entered by the user. */
export function privateColumns() {
  return [
    symbolColumn,
    col.accessor((r) => humanize(r.investment_subtype), { id: 'subtype', header: 'Kind' }),
    quantity,
    entryPrice,
    price,
    marketValue,
    weight,
    unrealized,
    unrealizedPct,
  ];
}
