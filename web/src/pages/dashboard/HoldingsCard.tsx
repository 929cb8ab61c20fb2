import { Accordion, Group, Switch, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { usePositionBetas } from '../../api/hooks/analytics.ts';
import { usePositions } from '../../api/hooks/portfolio-data.ts';
import type { PortfolioSummary } from '../../api/types.ts';
import { DataTable } from '../../components/DataTable.tsx';
import { Num } from '../../components/numbers.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { Tag } from '../../components/Tag.tsx';
import { formatMoney, formatSignedMoney } from '../../lib/format.ts';
import {
  equityColumns,
  optionColumns,
  privateColumns,
  type HoldingRow,
} from './holdings-columns.tsx';

type Section = 'long' | 'short' | 'options' | 'private';

const SECTIONS: { id: Section; label: string }[] = [
  { id: 'long', label: 'Long' },
  { id: 'short', label: 'Short' },
  { id: 'options', label: 'Options' },
  { id: 'private', label: 'Private' },
];

const COLUMNS = {
  long: equityColumns(),
  short: equityColumns(),
  options: optionColumns(),
  private: privateColumns(),
};

function sectionOf(p: HoldingRow): Section {
  if (p.investment_class === 'OPTIONS') return 'options';
  if (p.investment_class === 'PRIVATE') return 'private';
  return p.position_type === 'SHORT' || p.quantity < 0 ? 'short' : 'long';
}

/**
 * Holdings in sections (Long, Short, Options, Private) with subtotals, sorting, a filter and
 * closed lots behind "Show closed". All accounts lists every portfolio's holdings, each
 * naming its portfolio.
 */
export function HoldingsCard({
  portfolios,
  nav,
}: {
  portfolios: PortfolioSummary[];
  /** The NAV shown above (one portfolio's, or All accounts'): weights are of it. */
  nav: number | null;
}) {
  const [showClosed, setShowClosed] = useState(false);
  const [filter, setFilter] = useState('');
  const ids = portfolios.map((p) => p.id);
  const positions = usePositions(ids, showClosed);
  const betas = usePositionBetas(ids);
  const multi = portfolios.length > 1;
  const rows = useMemo<HoldingRow[] | undefined>(() => {
    if (!positions.data) return undefined;
    const nameById = new Map(portfolios.map((p) => [p.id, p.name]));
    return positions.data.map((p) => ({
      ...p,
      weight: nav && p.market_value !== null ? p.market_value / nav : null,
      beta90d: betas.get(p.id) ?? null,
      portfolioName: multi ? (nameById.get(p.portfolio_id) ?? '') : '',
    }));
  }, [positions.data, betas, nav, portfolios, multi]);
  const query = { ...positions, data: rows };

  return (
    <QueryCard
      title="Holdings"
      testId="holdings-card"
      query={query}
      skeletonHeight={260}
      actions={
        <Group gap="sm" wrap="wrap">
          <TextInput
            size="xs"
            placeholder="Filter symbol or name"
            aria-label="Filter holdings"
            leftSection={<IconSearch size={14} />}
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={200}
          />
          <Switch
            size="sm"
            label="Show closed"
            checked={showClosed}
            onChange={(e) => setShowClosed(e.currentTarget.checked)}
            data-testid="show-closed"
          />
        </Group>
      }
    >
      {(all) => {
        if (all.length === 0) return <Text size="sm">No holdings.</Text>;
        const present = SECTIONS.filter((s) => all.some((r) => sectionOf(r) === s.id));
        return (
          <Accordion
            multiple
            defaultValue={SECTIONS.map((s) => s.id)}
            variant="separated"
            chevronPosition="left"
          >
            {present.map((section) => {
              const rowsOf = all.filter((r) => sectionOf(r) === section.id);
              const value = rowsOf.reduce((s, r) => s + (r.is_open ? (r.market_value ?? 0) : 0), 0);
              const pnl = rowsOf.reduce((s, r) => s + (r.unrealized_pnl ?? 0), 0);
              return (
                <Accordion.Item
                  key={section.id}
                  value={section.id}
                  data-testid={`holdings-${section.id}`}
                >
                  <Accordion.Control>
                    <Group justify="space-between" wrap="wrap" gap="xs" pr="xs">
                      <Group gap="xs">
                        <Text fw={650}>{section.label}</Text>
                        <Tag tone="neutral" size="sm">
                          {rowsOf.length}
                        </Tag>
                      </Group>
                      <Group gap="md">
                        <Text size="sm" className="bb-num">
                          {formatMoney(value)}
                        </Text>
                        <Num value={pnl} text={formatSignedMoney(pnl)} colored size="sm" />
                      </Group>
                    </Group>
                  </Accordion.Control>
                  <Accordion.Panel>
                    <DataTable
                      data={rowsOf}
                      columns={COLUMNS[section.id]}
                      label={`${section.label} holdings`}
                      getRowId={(r) => r.id}
                      globalFilter={filter}
                      initialSorting={[{ id: 'market_value', desc: section.id !== 'short' }]}
                      cardTitle={(r) =>
                        `${r.symbol}${r.company_name ? ` · ${r.company_name}` : ''}`
                      }
                      emptyText="No holding matches the filter."
                      footer={{
                        label: 'Subtotal',
                        cells: {
                          market_value: formatMoney(value),
                          unrealized_pnl: <Num value={pnl} text={formatSignedMoney(pnl)} colored />,
                        },
                      }}
                    />
                  </Accordion.Panel>
                </Accordion.Item>
              );
            })}
          </Accordion>
        );
      }}
    </QueryCard>
  );
}
