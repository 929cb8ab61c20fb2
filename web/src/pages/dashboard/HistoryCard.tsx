import { Group, SegmentedControl, Text, useComputedColorScheme } from '@mantine/core';
import type { CombinedQuery } from '../../api/hooks/combine.ts';
import { useMemo, useState } from 'react';
import type { EChartOption } from '../../components/EChart.tsx';
import { LazyLineChart } from '../../components/LazyLineChart.tsx';
import { QueryCard } from '../../components/QueryCard.tsx';
import {
  formatMoney,
  formatMoneyCompact,
  formatShortDate,
  formatDate,
  formatSignedMoney,
  formatSignedPercent,
} from '../../lib/format.ts';
import {
  HISTORY_RANGES,
  pointsInRange,
  type CombinedPoint,
  type HistoryRange,
} from '../../lib/history.ts';

function chartOption(points: CombinedPoint[], dark: boolean): EChartOption {
  const axisColor = dark ? '#a6a7ab' : '#495057';
  return {
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, left: 0, textStyle: { color: axisColor } },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const list = params as { dataIndex: number }[];
        const p = points[list[0]?.dataIndex ?? 0];
        if (!p) return '';
        return [
          `<strong>${formatDate(p.date)}</strong>`,
          `NAV ${formatMoney(p.net_asset_value)}`,
          `P&L ${formatSignedMoney(p.daily_pnl)} (${formatSignedPercent(p.daily_return, 2)})`,
          `Cumulative P&L ${formatSignedMoney(p.cumulative_pnl)}`,
        ].join('<br/>');
      },
    },
    xAxis: {
      type: 'category',
      data: points.map((p) => p.date),
      axisLabel: { color: axisColor, formatter: (v: string) => formatShortDate(v) },
      boundaryGap: false,
    },
    yAxis: [
      {
        type: 'value',
        scale: true,
        axisLabel: { color: axisColor, formatter: (v: number) => formatMoneyCompact(v) },
        splitLine: { lineStyle: { opacity: 0.3 } },
      },
      {
        type: 'value',
        scale: true,
        axisLabel: { color: axisColor, formatter: (v: number) => formatMoneyCompact(v) },
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: 'NAV',
        type: 'line',
        showSymbol: false,
        data: points.map((p) => p.net_asset_value),
        lineStyle: { width: 2 },
        color: dark ? '#4dabf7' : '#1971c2',
      },
      {
        name: 'Cumulative P&L',
        type: 'line',
        yAxisIndex: 1,
        showSymbol: false,
        data: points.map((p) => p.cumulative_pnl),
        lineStyle: { width: 1.5 },
        color: dark ? '#ffa94d' : '#d9480f',
      },
    ],
  };
}

/** NAV and cumulative P&L over time, with ranges 1M / 3M / YTD / 1Y / All. */
export function HistoryCard({
  history,
  portfolioCount,
}: {
  history: CombinedQuery<CombinedPoint[]>;
  portfolioCount: number;
}) {
  const [range, setRange] = useState<HistoryRange>('1Y');
  const dark = useComputedColorScheme('light') === 'dark';
  const combined = history.data;
  const points = useMemo(() => (combined ? pointsInRange(combined, range) : []), [combined, range]);
  const option = useMemo(() => chartOption(points, dark), [points, dark]);
  const query = history;

  return (
    <QueryCard
      title="NAV and cumulative P&L"
      testId="history-card"
      query={query}
      skeletonHeight={280}
      unavailableReason={(data) =>
        data.length === 0
          ? 'no calculated days yet; the history appears after the first calculation'
          : null
      }
      actions={
        <SegmentedControl
          size="xs"
          value={range}
          onChange={(v) => setRange(v as HistoryRange)}
          data={HISTORY_RANGES}
          aria-label="History range"
        />
      }
    >
      {() => (
        <>
          <LazyLineChart
            option={option}
            height={280}
            ariaLabel={`NAV and cumulative P&L, ${range}, ${points.length} trading days`}
            testId="history-chart"
          />
          <Group justify="space-between" mt={4}>
            <Text size="xs" c="dimmed">
              {points.length} trading days
              {portfolioCount > 1
                ? ` · sum of ${portfolioCount} portfolios on days all of them have`
                : ''}
            </Text>
          </Group>
        </>
      )}
    </QueryCard>
  );
}
