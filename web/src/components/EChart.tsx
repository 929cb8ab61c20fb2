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

const live = (chart: echarts.ECharts | null): chart is echarts.ECharts =>
  chart !== null && !chart.isDisposed();

/**
 * Disposes a chart so that nothing scheduled before can touch it afterwards. zrender finishes
 * an unfinished paint in a later animation frame and drops that frame only when its painter's
 * redraw id has changed; a frame that outlives `dispose()` reads the disposed painter and throws
 * "Cannot read properties of null (reading 'layerStack')". Changing the id first makes such a
 * frame a no-op (the same way zrender cancels a superseded paint).
 */
function disposeChart(chart: echarts.ECharts) {
  if (chart.isDisposed()) return;
  const painter = chart.getZr().painter as unknown as { _redrawId?: number } | null;
  if (painter) painter._redrawId = Number.NaN;
  chart.dispose();
}

/**
 * An ECharts canvas that follows the colour scheme and its container's width. Resizes are
 * batched into one animation frame, and every callback checks that the chart it was made for
 * is still alive (a resize or an answer may arrive after the page has moved on).
 */
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
    let frame = 0;
    const observer = new ResizeObserver(() => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (live(instance) && element.isConnected) instance.resize();
      });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      if (chart.current === instance) chart.current = null;
      disposeChart(instance);
    };
  }, [scheme]);

  useEffect(() => {
    const instance = chart.current;
    if (!live(instance)) return;
    const series = (option.series as object[] | undefined)?.map((one) => ({
      // Drawn in one frame: a progressive paint continues in requestAnimationFrame, which
      // disposeChart has to cancel; our series are at most a few thousand points, well within
      // one frame.
      progressive: 0,
      ...one,
    }));
    instance.setOption(
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
