import {
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  useComputedColorScheme,
} from '@mantine/core';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight } from '@tabler/icons-react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import {
  useBetaComparison,
  useConcentration,
  useRiskMetrics,
  useSectorExposure,
  useVolatility,
} from '../../api/hooks/analytics.ts';
import { isAll, type PortfolioScope } from '../../api/hooks/scope.ts';
import { registerBarCharts } from '../../components/charts/bar.ts';
import { EChart, type EChartOption } from '../../components/EChart.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { Stat } from '../../components/Stat.tsx';
import {
  formatBeta,
  formatDate,
  formatDecimal,
  formatInteger,
  formatMoney,
  formatPercent,
  formatPp,
  formatSignedPercent,
} from '../../lib/format.ts';

registerBarCharts();

const SINGLE_ONLY = 'pick a single portfolio; this analytic has no All-accounts version';

/** Realized 21d / 63d, the HAR forecast, the trend and the percentile against the past year. */
export function VolatilityCard({ scope }: { scope: PortfolioScope }) {
  const query = useVolatility(scope);
  return (
    <QueryCard title="Volatility" testId="volatility-card" query={query}>
      {({ data }) => {
        const trend = data.volatility_trend;
        const TrendIcon =
          trend === 'increasing'
            ? IconArrowUpRight
            : trend === 'decreasing'
              ? IconArrowDownRight
              : IconArrowRight;
        return (
          <Stack gap="sm">
            <SimpleGrid cols={3}>
              <Stat label="21 day" value={formatPercent(data.realized_volatility_21d)} />
              <Stat label="63 day" value={formatPercent(data.realized_volatility_63d)} />
              <Stat
                label="Forecast"
                value={formatPercent(data.expected_volatility_21d)}
                sub="HAR, 21 days"
              />
            </SimpleGrid>
            <Group gap={6}>
              <TrendIcon size={18} aria-hidden />
              <Text size="sm">Trend: {trend ?? 'unknown'}</Text>
            </Group>
            {data.volatility_percentile !== null && (
              <div>
                <Text size="xs" c="dimmed" mb={4}>
                  Percentile against the past year: {formatPercent(data.volatility_percentile, 0)}
                </Text>
                <Progress
                  value={data.volatility_percentile * 100}
                  aria-label={`Volatility percentile ${formatPercent(data.volatility_percentile, 0)}`}
                />
              </div>
            )}
          </Stack>
        );
      }}
    </QueryCard>
  );
}

function sectorOption(
  rows: { sector: string; portfolio: number; benchmark: number }[],
  dark: boolean,
): EChartOption {
  const axisColor = dark ? '#c1c2c5' : '#343a40';
  return {
    grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: axisColor } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => formatPercent(v),
    },
    xAxis: {
      type: 'value',
      axisLabel: { color: axisColor, formatter: (v: number) => formatPercent(v, 0) },
    },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.sector),
      inverse: true,
      axisLabel: { color: axisColor },
    },
    series: [
      {
        name: 'Portfolio',
        type: 'bar',
        data: rows.map((r) => r.portfolio),
        color: dark ? '#4dabf7' : '#1971c2',
      },
      {
        name: 'S&P 500',
        type: 'bar',
        data: rows.map((r) => r.benchmark),
        color: dark ? '#909296' : '#adb5bd',
      },
    ],
  };
}

/** Net sector weights against the S&P 500, the difference in pp, unclassified value. */
export function SectorCard({ scope }: { scope: PortfolioScope }) {
  const query = useSectorExposure(scope);
  const dark = useComputedColorScheme('light') === 'dark';
  const rows = useMemo(() => {
    const d = query.data?.data;
    if (!d) return [];
    return Object.keys({ ...d.benchmark_weights, ...d.portfolio_weights })
      .map((sector) => ({
        sector,
        portfolio: d.portfolio_weights[sector] ?? 0,
        benchmark: d.benchmark_weights[sector] ?? 0,
        diff: d.over_underweight[sector] ?? null,
      }))
      .sort((a, b) => b.benchmark - a.benchmark);
  }, [query.data]);
  const option = useMemo(() => sectorOption(rows, dark), [rows, dark]);
  return (
    <QueryCard
      title="Sector exposure vs S&P 500"
      testId="sector-card"
      query={query}
      skeletonHeight={320}
    >
      {(data) => (
        <Stack gap="sm">
          <EChart
            option={option}
            height={Math.max(260, rows.length * 30 + 40)}
            ariaLabel="Sector weights of the portfolio and the S&P 500"
          />
          <Table fz="sm" verticalSpacing={2} aria-label="Over and underweights">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Sector</Table.Th>
                <Table.Th ta="right">Portfolio</Table.Th>
                <Table.Th ta="right">vs S&P 500</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.sector}>
                  <Table.Td>{r.sector}</Table.Td>
                  <Table.Td ta="right" className="bb-num">
                    {formatPercent(r.portfolio)}
                  </Table.Td>
                  <Table.Td ta="right" className="bb-num">
                    {formatPp(r.diff)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            Unclassified (other ETFs, private assets): {formatMoney(data.data.unclassified_value)} ·
            benchmark weights as of {formatDate(data.metadata.benchmark_as_of)}
          </Text>
        </Stack>
      )}
    </QueryCard>
  );
}

/** HHI, effective N, top 3 / top 10 shares and the largest positions. */
export function ConcentrationCard({ scope }: { scope: PortfolioScope }) {
  const query = useConcentration(scope);
  return (
    <QueryCard title="Concentration" testId="concentration-card" query={query}>
      {({ data }) => (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Stat label="HHI" value={formatDecimal(data.hhi, 0)} sub="0–10,000" />
            <Stat label="Effective N" value={formatDecimal(data.effective_num_positions, 1)} />
            <Stat label="Top 3" value={formatPercent(data.top_3_concentration)} />
            <Stat label="Top 10" value={formatPercent(data.top_10_concentration)} />
          </SimpleGrid>
          <Stack gap={4}>
            {data.top_positions.slice(0, 10).map((p) => (
              <Group key={p.symbol} gap="xs" wrap="nowrap">
                <Text
                  size="sm"
                  w={110}
                  truncate
                  component={Link}
                  to={`/symbols/${encodeURIComponent(p.symbol)}`}
                  c="var(--mantine-color-anchor)"
                >
                  {p.symbol}
                </Text>
                <Progress
                  value={p.weight * 100}
                  style={{ flex: 1 }}
                  aria-label={`${p.symbol} ${formatPercent(p.weight)}`}
                />
                <Text size="sm" className="bb-num" w={52} ta="right">
                  {formatPercent(p.weight)}
                </Text>
              </Group>
            ))}
          </Stack>
          <Text size="xs" c="dimmed">
            Shares of gross exposure.
          </Text>
        </Stack>
      )}
    </QueryCard>
  );
}

/** Provider (1Y) vs calculated (90-day OLS vs SPY) beta per holding, with R². */
export function BetaComparisonCard({ scope }: { scope: PortfolioScope }) {
  const query = useBetaComparison(isAll(scope) ? null : scope);
  return (
    <QueryCard
      title="Provider vs calculated beta"
      testId="beta-comparison"
      query={query}
      notApplicable={isAll(scope) ? SINGLE_ONLY : null}
    >
      {(data) => (
        <div
          className="bb-table-wrap"
          style={{ maxHeight: 420 }}
          tabIndex={0}
          role="region"
          aria-label="Provider and calculated betas"
        >
          <Table fz="sm" verticalSpacing={3} striped aria-label="Provider and calculated betas">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Symbol</Table.Th>
                <Table.Th ta="right">Provider</Table.Th>
                <Table.Th ta="right">Calculated</Table.Th>
                <Table.Th ta="right">R²</Table.Th>
                <Table.Th ta="right" visibleFrom="sm">
                  Obs.
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.positions.map((p) => (
                <Table.Tr key={p.position_id}>
                  <Table.Td>{p.symbol}</Table.Td>
                  <Table.Td ta="right" className="bb-num">
                    {formatBeta(p.market_beta)}
                  </Table.Td>
                  <Table.Td ta="right" className="bb-num">
                    {formatBeta(p.calculated_beta)}
                  </Table.Td>
                  <Table.Td ta="right" className="bb-num">
                    {formatBeta(p.beta_r_squared)}
                  </Table.Td>
                  <Table.Td ta="right" className="bb-num" visibleFrom="sm">
                    {formatInteger(p.observations)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </QueryCard>
  );
}

/** Annualized volatility, max drawdown, Sharpe and Sortino over the window shown. */
export function RiskMetricsCard({ scope }: { scope: PortfolioScope }) {
  const query = useRiskMetrics(isAll(scope) ? null : scope);
  return (
    <QueryCard
      title="Risk metrics"
      testId="risk-metrics"
      query={query}
      notApplicable={isAll(scope) ? SINGLE_ONLY : null}
    >
      {({ data }) => (
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Stat
              label="Volatility"
              value={formatPercent(data.annualized_volatility)}
              sub="annualized"
            />
            <Stat label="Max drawdown" value={formatSignedPercent(data.max_drawdown)} />
            <Stat label="Sharpe" value={formatDecimal(data.sharpe_ratio, 2)} />
            <Stat label="Sortino" value={formatDecimal(data.sortino_ratio, 2)} />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {formatInteger(data.observations)} daily returns, {formatDate(data.period_start)} –{' '}
            {formatDate(data.period_end)}; excess of a {formatPercent(data.risk_free_rate)}{' '}
            risk-free rate.
          </Text>
        </Stack>
      )}
    </QueryCard>
  );
}
