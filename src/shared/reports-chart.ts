/**
 * The statistics chart, defined once: the renderer draws it with echarts on a canvas, the PDF export renders the
 * same option to SVG in main (echarts server-side rendering). Pure: an option object from the statistics.
 */
import type { DailyStatistics } from './contract'

export function dailyChartOption(stats: DailyStatistics, animation = true) {
  const dates = stats.days.map((day) => day.date.slice(5))
  const series = (name: string, pick: (day: DailyStatistics['days'][number]) => number, stack?: string) => ({
    name,
    type: 'bar' as const,
    stack,
    data: stats.days.map(pick)
  })
  return {
    animation,
    color: ['#1677ff', '#52c41a', '#faad14', '#f5222d', '#722ed1', '#8c8c8c'],
    tooltip: { trigger: 'axis' as const },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 40, bottom: 32 },
    xAxis: { type: 'category' as const, data: dates },
    yAxis: { type: 'value' as const, minInterval: 1 },
    series: [
      series('进厂', (day) => day.enterVehTotal, 'flow'),
      series('出厂', (day) => day.exitVehTotal, 'flow'),
      series('外地车', (day) => day.otherVehEnterTotal + day.otherVehExitTotal),
      series('违规', (day) => day.violationTotal),
      series('国三/国四', (day) => day.standard3EnterTotal + day.standard3ExitTotal + day.standard4EnterTotal + day.standard4ExitTotal),
      series('管控劝返', (day) => day.controlTotal)
    ]
  }
}
