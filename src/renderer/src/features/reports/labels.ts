import type { DailyCounts } from '@shared/contract'

/** Short column titles for the screen (the exports carry the spec's full descriptions). */
export const COLUMN_TITLES: [keyof DailyCounts, string][] = [
  ['vehTotal', '总车流量'],
  ['enterVehTotal', '进厂'],
  ['exitVehTotal', '出厂'],
  ['otherVehEnterTotal', '外地进厂'],
  ['otherVehExitTotal', '外地出厂'],
  ['otherAddVehTotal', '外地补录'],
  ['standard3EnterTotal', '国三进厂'],
  ['standard3ExitTotal', '国三出厂'],
  ['standard4EnterTotal', '国四进厂'],
  ['standard4ExitTotal', '国四出厂'],
  ['violationTotal', '违规'],
  ['violationHandleTotal', '违规已处理'],
  ['controlTotal', '管控劝返']
]
