import { useComputedColorScheme } from '@mantine/core';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what every chart needs; each chart type is registered by the page that draws it
// (charts.ts), so the dashboard does not download the heatmap or the bar series.
echarts.use([GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type EChartOption = echarts.EChartsCoreOption;

interface EChartProps {
  option: EChartOption;
  height: number;
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  ariaLabel: string;
  testId?: string;
}

/** An ECharts canvas that follows the colour scheme and its container's width. */
export function EChart({ option, height, ariaLabel, testId }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const scheme = useComputedColorScheme('light');

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = echarts.init(element, scheme === 'dark' ? 'dark' : undefined, {
      renderer: 'canvas',
    });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [scheme]);

  useEffect(() => {
    const series = (option.series as object[] | undefined)?.map((one) => ({
      // Drawn in one frame: a progressive paint continues in requestAnimationFrame, and
      // zrender's continuation crashes ("reading 'layerStack'") when the chart was disposed
      // in between (a re-render, leaving the page). Our series are at most a few thousand
      // points, well within one frame.
      progressive: 0,
      ...one,
    }));
    chart.current?.setOption(
      { backgroundColor: 'transparent', animationDuration: 300, ...option, series },
      { notMerge: true },
    );
  }, [option, scheme]);

  return (
    <div
      ref={container}
      role="img"
      aria-label={ariaLabel}
      data-testid={testId}
      style={{ width: '100%', height }}
    />
  );
}
