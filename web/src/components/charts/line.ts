import { LineChart } from 'echarts/charts';
import * as echarts from 'echarts/core';

/** The line series (dashboard history, symbol prices, admin metrics), in its own chunk. */
export function registerLineCharts(): void {
  echarts.use([LineChart]);
}
