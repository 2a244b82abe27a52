import { manualReleaseReasons, type AuditEntry, type Lane } from '@shared/contract'
import { labelOf, plateColourLabel, type DictionaryKey } from '@shared/spec'
import { formatDateTime } from '../../format'

/**
 * An audit entry as the admin reads it: what was done (not the command name), on what (a lane by its name, a record
 * by its number) and the particulars as a sentence (not the JSON main keeps for the hash chain).
 */
const ACTION_LABEL: Readonly<Record<string, string>> = {
  'plate.submit': '人工登记车牌',
  'lane.release': '人工放行',
  release: '人工放行',
  'lane.refuse': '人工拒绝',
  refuse: '人工拒绝',
  deny: '人工拒绝',
  'passage.correctPlate': '更正车牌',
  correct_plate: '更正车牌',
  'lane.recapture': '重新抓拍',
  'lane.barrier': '开闸或关闸（软件操作）',
  'lane.unplated': '登记无牌车或临时车',
  recapture: '重新抓拍',
  'goods.record': '登记货物',
  'goods.setNames': '修改货物名称表',
  'vehicles.save': '保存车辆备案',
  'innerVehicles.save': '保存厂内车辆',
  'innerVehicles.setStatus': '变更厂内车辆状态',
  'machines.save': '保存非道路移动机械',
  'machines.setStatus': '变更机械状态',
  'ledger.import': '导入台账',
  'controlMeasures.set': '设置管控措施',
  set_control_measures: '设置管控措施',
  'localLists.add': '加入本地名单',
  list_add: '加入本地名单',
  'localLists.remove': '移出本地名单',
  list_remove: '移出本地名单',
  'alarms.ack': '确认处理告警',
  'outbox.fix': '修改上传失败的数据',
  'outbox.requeue': '重新上传',
  'users.add': '新增用户',
  'users.passwd': '修改密码',
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.logout': '退出登录',
  'auth.rate_limited': '登录尝试过多，已暂停',
  'shift.handover': '交接班',
  denied: '无权限的操作被拒绝',
  'lpr.refused': '拒收摄像机推送',
  'barrier.raised': '抬杆',
  'passage.clip.request': '调取录像',
  'video.export': '导出通行记录与录像',
  'laneSettings.set': '修改车道设置',
  'plant.enrolmentCode': '生成岗亭注册码',
  'plant.revokeBooth': '吊销岗亭凭证',
  'plant.setLaneSettings': '修改门岗车道设置（下发到岗亭）'
}

const FIELD_LABEL: Readonly<Record<string, string>> = {
  laneId: '车道',
  plate: '车牌',
  license: '车牌',
  colour: '车牌颜色',
  reason: '原因',
  note: '说明',
  confirmViolation: '记为违规',
  passageId: '过车记录',
  client: '来自',
  kind: '名单',
  name: '名称',
  goodsName: '货物',
  weight: '重量',
  tonnage: '吨数',
  username: '用户',
  incoming: '接班人',
  outgoing: '交班人',
  status: '状态',
  rows: '行数',
  action: '动作',
  number: '临时号牌',
  sourceText: '抬杆方式',
  validity: '有效期',
  level: '管控等级',
  area: '管控区域',
  strategy: '管控策略',
  enterpriseType: '企业管控类型',
  measures: '企业管控措施',
  startsAt: '开始时间',
  endsAt: '结束时间',
  from: '起始日期',
  to: '截止日期',
  allowedColours: '允许的车牌颜色',
  confirmEveryOpening: '二次确认',
  goodsBeforeExit: '必须登记货物才放行',
  gateCode: '门岗编号'
}

/** Control-measure fields are B7.18–B7.22 codes: shown by their dictionary labels. */
const CONTROL_DICTIONARY: Readonly<Record<string, DictionaryKey>> = {
  level: 'controlLevel',
  area: 'controlArea',
  strategy: 'controlStrategy',
  enterpriseType: 'enterpriseControlType',
  measures: 'enterpriseControlMeasures'
}

/** carStatus / mhyStatus (4.1.7, 4.1.8). */
const LEDGER_STATUS: Readonly<Record<string, string>> = { '1': '正常', '2': '封存', '3': '注销' }

const VALIDITY: Readonly<Record<string, string>> = { '1m': '1 个月', '3m': '3 个月', '1y': '1 年', permanent: '永久' }

const LIST_KIND: Readonly<Record<string, string>> = { black: '黑名单', white: '白名单' }
const LATIN = /[A-Za-z]/

export interface AuditLine {
  action: string
  subject: string
  detail: string
}

export function auditLine(entry: AuditEntry, lanes: readonly Lane[]): AuditLine {
  const input = (typeof entry.detail === 'object' && entry.detail !== null && 'input' in entry.detail ? entry.detail.input : entry.detail) as Record<string, unknown> | null
  // At the plant a lane is one a booth reported: its name travels in the command (plant.setLaneSettings).
  const reported = typeof input?.laneName === 'string' ? input.laneName : null
  const laneName = (id: unknown) => lanes.find((lane) => lane.id === id)?.name ?? reported ?? '未知车道'
  const parts: string[] = []
  for (const [key, value] of Object.entries(input ?? {})) {
    const label = FIELD_LABEL[key]
    const shown = label ? valueText(key, value, laneName) : null
    if (label && shown) parts.push(`${label}：${shown}`)
  }
  return { action: ACTION_LABEL[entry.action] ?? '其他操作', subject: subjectText(entry.subject, laneName), detail: parts.join('，') }
}

function valueText(key: string, value: unknown, laneName: (id: unknown) => string): string | null {
  if (value === null || value === undefined || value === '') return null
  const dictionary = CONTROL_DICTIONARY[key]
  if (dictionary) return labelOf(dictionary, String(value)) ?? null
  switch (key) {
    case 'laneId':
      return laneName(value)
    case 'colour':
      return `${plateColourLabel(String(value))}`
    case 'reason':
      return manualReleaseReasons.find((reason) => reason.code === value)?.text ?? (LATIN.test(String(value)) ? null : String(value))
    case 'confirmViolation':
    case 'confirmEveryOpening':
    case 'goodsBeforeExit':
      return value === true ? '是' : '否'
    case 'plate':
    case 'license':
      return String(value)
    case 'status':
      return LEDGER_STATUS[String(value)] ?? null
    case 'validity':
      return VALIDITY[String(value)] ?? null
    case 'startsAt':
    case 'endsAt':
      return formatDateTime(String(value))
    case 'allowedColours':
      return Array.isArray(value) ? (value.length === 0 ? '不限' : value.map((code) => plateColourLabel(String(code))).join('、')) : null
    case 'kind':
      return LIST_KIND[String(value)] ?? null
    case 'number':
      return String(value) || null
    case 'action':
      return value === 'open' ? '开闸' : value === 'close' ? '关闸' : null
    case 'passageId':
      return `第 ${String(value)} 条`
  }
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string' && !LATIN.test(value)) return value
  if (typeof value === 'string' && /^[\d.:]+$/.test(value)) return value
  return null
}

/** `laneId=in1` → 1号入口, `passageId=12` → 过车记录第 12 条; anything else by its value if that is no code. */
function subjectText(subject: string | null, laneName: (id: unknown) => string): string {
  if (!subject) return ''
  const [key, value] = subject.split('=', 2) as [string, string | undefined]
  if (value === undefined) return ACTION_LABEL[subject] ?? (LATIN.test(subject) ? '' : subject)
  if (key === 'laneId') return laneName(value)
  if (key === 'passageId') return `过车记录第 ${value} 条`
  if (key === 'id') return `第 ${value} 条`
  if (key === 'username') return LATIN.test(value) ? '用户' : value
  return ''
}
