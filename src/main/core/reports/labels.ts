import type { DailyCounts } from '@shared/contract'

/** The spec 4.2.12 descriptions of each count, used as column headings in the exports. */
export const COUNT_LABELS: Record<keyof DailyCounts, string> = {
  companyTotal: '运输企业总数',
  gateTotal: '运输道闸总数',
  vehTotal: '运输总车流量',
  enterVehTotal: '进厂车流量',
  exitVehTotal: '出厂车流量',
  violationTotal: '企业违规运输数量',
  controlTotal: '管控劝返车辆数量',
  otherVehEnterTotal: '外地车进厂车流量',
  otherVehExitTotal: '外地车出厂车流量',
  otherAddVehTotal: '外地补充车辆数量',
  standard3EnterTotal: '国三进厂车流量',
  standard3ExitTotal: '国三出厂车流量',
  standard4EnterTotal: '国四进厂车流量',
  standard4ExitTotal: '国四出厂车流量',
  violationHandleTotal: '违规处理数量'
}

export const COUNT_FIELDS = Object.keys(COUNT_LABELS) as (keyof DailyCounts)[]

/** What the second table breaks the statistics down by: a booth's lanes, or the plant's gates. */
export interface Breakdown {
  sheet: string
  heading: string
}

export const BY_LANE: Breakdown = { sheet: '分车道统计', heading: '车道' }
export const BY_GATE: Breakdown = { sheet: '分门岗统计', heading: '门岗' }
