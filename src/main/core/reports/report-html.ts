import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import type { DailyStatistics } from '@shared/contract'
import { dailyChartOption } from '@shared/reports-chart'
import { BY_LANE, COUNT_FIELDS, COUNT_LABELS, type Breakdown } from './labels'

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer])

/** The chart as an SVG string, rendered in Node by echarts' server-side renderer. */
export function chartSvg(stats: DailyStatistics, width = 1000, height = 320): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption(dailyChartOption(stats, false))
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** A self-contained printable page (no scripts, no external resources): title, chart, the per-day and per-lane tables. */
export function reportHtml(stats: DailyStatistics, title: string, laneName: (laneId: string) => string, breakdown: Breakdown = BY_LANE): string {
  const head = `<tr><th>日期</th>${COUNT_FIELDS.map((field) => `<th>${COUNT_LABELS[field]}<br><small>${field}</small></th>`).join('')}</tr>`
  const row = (key: string, counts: Record<string, unknown>, bold = false) =>
    `<tr${bold ? ' class="total"' : ''}><td>${escapeHtml(key)}</td>${COUNT_FIELDS.map((field) => `<td>${String(counts[field])}</td>`).join('')}</tr>`
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: A4 landscape; margin: 12mm }
body { font-family: 'Noto Sans CJK SC', 'Microsoft YaHei', 'SimSun', sans-serif; font-size: 10px; color: #222 }
h1 { font-size: 16px; margin: 0 0 4px } p { margin: 0 0 8px; color: #555 }
table { border-collapse: collapse; width: 100%; margin-top: 8px } th, td { border: 1px solid #bbb; padding: 2px 3px; text-align: right }
th { background: #f0f0f0; font-weight: 600; text-align: center } td:first-child { text-align: left; white-space: nowrap } small { color: #888; font-weight: 400 }
tr.total td { font-weight: 700; background: #fafafa } h2 { font-size: 13px; margin: 12px 0 0 }
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>统计区间 ${stats.from} 至 ${stats.to}${stats.laneId ? `，${breakdown.heading} ${escapeHtml(laneName(stats.laneId))}` : ''}；本地号牌前缀：${escapeHtml(stats.localPlatePrefixes.join('、') || '未配置')}</p>
${chartSvg(stats)}
<h2>每日统计</h2><table>${head}${stats.days.map((day) => row(day.date, day)).join('')}${row('合计', stats.total, true)}</table>
<h2>${breakdown.sheet}</h2><table>${head.replace('<th>日期</th>', `<th>${breakdown.heading}</th>`)}${stats.lanes.map((lane) => row(laneName(lane.laneId), lane)).join('')}</table>
</body></html>`
}
