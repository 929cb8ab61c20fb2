import {
  Anchor,
  Container,
  Grid,
  Group,
  SegmentedControl,
  SimpleGrid,
  Table,
  Text,
  useComputedColorScheme,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useSymbol, useSymbolPrices } from '../../api/hooks/symbols.ts';
import type { SymbolDetail, SymbolPrices } from '../../api/types.ts';
import { registerLineCharts } from '../../components/charts/line.ts';
import { EChart, type EChartOption } from '../../components/EChart.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { Stat } from '../../components/Stat.tsx';
import {
  formatBeta,
  formatDate,
  formatInteger,
  formatMoneyCompact,
  formatPercent,
  formatPrice,
  formatShortDate,
  formatSignedPercent,
} from '../../lib/format.ts';
import { HISTORY_RANGES, rangeStart, type HistoryRange } from '../../lib/history.ts';

registerLineCharts();

function priceOption(prices: SymbolPrices['prices'], dark: boolean): EChartOption {
  const axisColor = dark ? '#a6a7ab' : '#495057';
  return {
    grid: { left: 8, right: 8, top: 12, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const p = prices[(params as { dataIndex: number }[])[0]?.dataIndex ?? 0];
        return p ? `<strong>${formatDate(p.date)}</strong><br/>Close ${formatPrice(p.close)}` : '';
      },
    },
    xAxis: {
      type: 'category',
      data: prices.map((p) => p.date),
      axisLabel: { color: axisColor, formatter: (v: string) => formatShortDate(v) },
      boundaryGap: false,
    },
    yAxis: {
      type: 'value',
      scale: true,
      axisLabel: { color: axisColor, formatter: (v: number) => formatPrice(v) },
      splitLine: { lineStyle: { opacity: 0.3 } },
    },
    series: [
      {
        type: 'line',
        name: 'Close',
        showSymbol: false,
        data: prices.map((p) => p.close),
        color: dark ? '#4dabf7' : '#1971c2',
        areaStyle: { opacity: 0.08 },
      },
    ],
  };
}

function PriceChart({ symbol, lastDate }: { symbol: string; lastDate: string | null }) {
  const [range, setRange] = useState<HistoryRange>('1Y');
  const from = lastDate ? rangeStart(lastDate, range) : null;
  const prices = useSymbolPrices(symbol, from);
  const dark = useComputedColorScheme('light') === 'dark';
  const option = useMemo(
    () => (prices.data ? priceOption(prices.data.prices, dark) : null),
    [prices.data, dark],
  );
  const first = prices.data?.prices[0]?.close;
  const last = prices.data?.prices.at(-1)?.close;
  return (
    <QueryCard
      title="Price"
      testId="price-chart"
      query={prices}
      skeletonHeight={280}
      unavailableReason={(d) => (d.prices.length === 0 ? 'no prices stored for this symbol' : null)}
      actions={
        <SegmentedControl
          size="xs"
          value={range}
          onChange={(v) => setRange(v as HistoryRange)}
          data={HISTORY_RANGES}
          aria-label="Price range"
        />
      }
    >
      {(d) => (
        <>
          {option && (
            <EChart option={option} height={280} ariaLabel={`${symbol} closing prices, ${range}`} />
          )}
          <Text size="xs" c="dimmed" mt={4}>
            {formatInteger(d.prices.length)} closes · change over the range{' '}
            {first && last ? formatSignedPercent(last / first - 1) : '—'}
          </Text>
        </>
      )}
    </QueryCard>
  );
}

function FactorTable({ factors }: { factors: SymbolDetail['factors'] }) {
  if (factors.betas.length === 0)
    return <Text size="sm">No factor betas calculated for this symbol.</Text>;
  return (
    <Table fz="sm" verticalSpacing={4} striped aria-label="Factor betas">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Factor</Table.Th>
          <Table.Th ta="right">Beta</Table.Th>
          <Table.Th ta="right">R²</Table.Th>
          <Table.Th ta="right" visibleFrom="sm">
            Observations
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {[...factors.betas]
          .sort((a, b) => a.display_order - b.display_order)
          .map((b) => (
            <Table.Tr key={b.name}>
              <Table.Td>{b.name}</Table.Td>
              <Table.Td ta="right" className="bb-num">
                {formatBeta(b.beta)}
              </Table.Td>
              <Table.Td ta="right" className="bb-num">
                {formatBeta(b.r_squared)}
              </Table.Td>
              <Table.Td ta="right" className="bb-num" visibleFrom="sm">
                {formatInteger(b.observations)}
              </Table.Td>
            </Table.Tr>
          ))}
      </Table.Tbody>
    </Table>
  );
}

/** A symbol: profile, last close, price chart with ranges, the 13 factor betas with R². */
export default function SymbolPage() {
  const { symbol = '' } = useParams();
  const upper = symbol.toUpperCase();
  const detail = useSymbol(upper);
  const profile = detail.data?.profile;
  return (
    <Container size="xl" py="md">
      <PageHeader
        title={
          <Group gap="xs" component="span">
            <span>{upper}</span>
            {profile?.name && (
              <Text span c="dimmed" fz="lg" fw={500}>
                {profile.name}
              </Text>
            )}
          </Group>
        }
        subtitle={
          <Anchor component={Link} to="/dashboard" size="sm">
            ← Back to the dashboard
          </Anchor>
        }
      />
      <Grid gap="md">
        <Grid.Col span={12}>
          <QueryCard title="Profile" testId="symbol-profile" query={detail}>
            {(d) => (
              <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="md">
                <Stat
                  label="Last close"
                  value={formatPrice(d.last_close?.close)}
                  sub={d.last_close ? formatDate(d.last_close.date) : 'no prices'}
                  testId="last-close"
                />
                <Stat
                  label="Sector"
                  small
                  value={d.profile?.sector ?? '—'}
                  sub={d.profile?.industry ?? undefined}
                />
                <Stat label="Market cap" value={formatMoneyCompact(d.profile?.market_cap)} />
                <Stat
                  label="Provider beta"
                  value={formatBeta(d.profile?.beta)}
                  sub={d.profile?.beta_source ?? undefined}
                />
                <Stat label="Dividend yield" value={formatPercent(d.profile?.dividend_yield)} />
                <Stat
                  label="52-week range"
                  value={
                    d.profile?.week_52_low != null
                      ? `${formatPrice(d.profile.week_52_low)}–${formatPrice(d.profile.week_52_high)}`
                      : '—'
                  }
                />
              </SimpleGrid>
            )}
          </QueryCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <PriceChart symbol={upper} lastDate={detail.data?.last_close?.date ?? null} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <QueryCard title="Factor betas" testId="symbol-factors" query={detail}>
            {(d) => (
              <>
                <FactorTable factors={d.factors} />
                <Text size="xs" c="dimmed" mt={4}>
                  As of {formatDate(d.factors.calculation_date)}
                </Text>
              </>
            )}
          </QueryCard>
        </Grid.Col>
      </Grid>
    </Container>
  );
}
