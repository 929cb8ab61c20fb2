import { Skeleton } from '@mantine/core';
import { lazy, Suspense, type ComponentProps } from 'react';
import type { EChart } from './EChart.tsx';

/**
 * A line chart whose code (ECharts, the largest library of the app) loads after the rest of
 * the page: the dashboard's figures and holdings are usable while the chart's code arrives.
 */
const LineChart = lazy(async () => {
  const [{ EChart }, { registerLineCharts }] = await Promise.all([
    import('./EChart.tsx'),
    import('./charts/line.ts'),
  ]);
  registerLineCharts();
  return { default: EChart };
});

export function LazyLineChart(props: ComponentProps<typeof EChart>) {
  return (
    <Suspense fallback={<Skeleton height={props.height} aria-label="Loading chart" />}>
      <LineChart {...props} />
    </Suspense>
  );
}
