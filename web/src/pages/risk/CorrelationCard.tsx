import {
  Group,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  useComputedColorScheme,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useCorrelationMatrix } from '../../api/hooks/analytics.ts';
import type { PortfolioScope } from '../../api/hooks/scope.ts';
import { registerHeatmapCharts } from '../../components/charts/heatmap.ts';
import { EChart, type EChartOption } from '../../components/EChart.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import { Stat } from '../../components/Stat.tsx';
import { clusterOrder } from '../../lib/cluster-order.ts';
import { formatBeta, formatDate, formatDecimal } from '../../lib/format.ts';
import { exclusionInWords } from '../../lib/reasons.ts';

registerHeatmapCharts();

const LOOKBACKS = ['30', '90', '180', '252'];

function heatmapOption(
  symbols: string[],
  matrix: Record<string, Record<string, number | null>>,
  dark: boolean,
): EChartOption {
  const axisColor = dark ? '#c1c2c5' : '#343a40';
  const data: [number, number, number | null][] = [];
  symbols.forEach((a, i) => symbols.forEach((b, j) => data.push([j, i, matrix[a]?.[b] ?? null])));
  const small = symbols.length > 25;
  return {
    grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
    tooltip: {
      formatter: (p: unknown) => {
        const [x, y, v] = (p as { data: [number, number, number | null] }).data;
        return `${symbols[y]} × ${symbols[x]}: <strong>${formatBeta(v)}</strong>`;
      },
    },
    xAxis: {
      type: 'category',
      data: symbols,
      axisLabel: { color: axisColor, rotate: 90, fontSize: small ? 9 : 11, interval: 0 },
      splitArea: { show: false },
    },
    yAxis: {
      type: 'category',
      data: symbols,
      inverse: true,
      axisLabel: { color: axisColor, fontSize: small ? 9 : 11, interval: 0 },
    },
    visualMap: {
      min: -1,
      max: 1,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 160,
      itemWidth: 10,
      text: ['+1', '−1'],
      textStyle: { color: axisColor },
      // Diverging: blue for negative, neutral at zero, red for positive.
      inRange: {
        color: ['#1864ab', '#74c0fc', dark ? '#373a40' : '#f8f9fa', '#ff8787', '#c92a2a'],
      },
    },
    series: [
      { type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } },
    ],
  };
}

/** Correlations of the holdings (ordered to show clusters), lookback, averages, exclusions. */
export function CorrelationCard({ scope }: { scope: PortfolioScope }) {
  const [lookback, setLookback] = useState('90');
  const query = useCorrelationMatrix(scope, Number(lookback));
  const dark = useComputedColorScheme('light') === 'dark';
  const d = query.data;
  const option = useMemo(() => {
    if (!d?.available) return null;
    const order = clusterOrder(d.data.symbols, d.data.matrix);
    return { order, option: heatmapOption(order, d.data.matrix, dark) };
  }, [d, dark]);

  return (
    <QueryCard
      title="Correlations"
      testId="correlation-card"
      query={query}
      skeletonHeight={360}
      actions={
        <SegmentedControl
          size="xs"
          data={LOOKBACKS.map((v) => ({ value: v, label: `${v}d` }))}
          value={lookback}
          onChange={setLookback}
          aria-label="Lookback in trading days"
        />
      }
    >
      {(data) => {
        const n = option?.order.length ?? 0;
        const height = Math.min(720, Math.max(280, n * 18 + 120));
        return (
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Stat
                label="Average correlation"
                value={formatBeta(data.data.average_correlation)}
                testId="avg-correlation"
              />
              <Stat
                label="Effective positions"
                value={formatDecimal(data.data.effective_positions, 1)}
              />
              <Stat label="Included" value={data.metadata.positions_included} />
              <Stat label="Excluded" value={data.metadata.positions_excluded} />
            </SimpleGrid>
            {option && (
              <EChart
                option={option.option}
                height={height}
                ariaLabel={`Correlation heatmap of ${n} holdings over ${data.metadata.lookback_days} trading days`}
                testId="correlation-heatmap"
              />
            )}
            <Group gap="xs">
              <Text size="xs" c="dimmed">
                {data.metadata.window_start
                  ? `Window ${formatDate(data.metadata.window_start)} – ${formatDate(data.metadata.window_end)}`
                  : ''}
                {data.metadata.source === 'computed' ? ' · computed for this lookback' : ''}
              </Text>
            </Group>
            {data.metadata.excluded.length > 0 && (
              <Text
                size="xs"
                c="dimmed"
                style={{ overflowWrap: 'anywhere' }}
                data-testid="correlation-excluded"
              >
                Excluded:{' '}
                {data.metadata.excluded
                  .map((e) => `${e.symbol} (${exclusionInWords(e.reason)})`)
                  .join('; ')}
              </Text>
            )}
          </Stack>
        );
      }}
    </QueryCard>
  );
}
