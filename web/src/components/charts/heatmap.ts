import { HeatmapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';

/** The heatmap and its colour scale (correlations), in its own chunk. */
export function registerHeatmapCharts(): void {
  echarts.use([HeatmapChart, VisualMapComponent]);
}
