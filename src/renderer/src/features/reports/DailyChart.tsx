import { useEffect, useRef } from 'react'
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import type { DailyStatistics } from '@shared/contract'
import { dailyChartOption } from '@shared/reports-chart'

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

/** The per-day bar chart; the same option main renders to SVG for the PDF. */
export function DailyChart({ stats }: { stats: DailyStatistics }) {
  const element = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const chart = echarts.init(element.current!)
    const resize = () => chart.resize()
    window.addEventListener('resize', resize)
    return () => {
      window.removeEventListener('resize', resize)
      chart.dispose()
    }
  }, [])
  useEffect(() => {
    echarts.getInstanceByDom(element.current!)?.setOption(dailyChartOption(stats), { notMerge: true })
  }, [stats])
  return <div ref={element} className="reports-chart" data-testid="reports-chart" style={{ height: 300 }} />
}
