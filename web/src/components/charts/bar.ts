import { BarChart } from 'echarts/charts';
import * as echarts from 'echarts/core';

/** The bar series (sector exposure, admin metrics), in its own chunk. */
export function registerBarCharts(): void {
  echarts.use([BarChart]);
}
