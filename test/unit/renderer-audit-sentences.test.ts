import { describe, expect, it } from 'vitest'
import type { AuditEntry, Lane } from '@shared/contract'
import { auditLine } from '../../src/renderer/src/features/audit/sentences'

const lanes = [{ id: 'in1', name: '1号入口' }] as unknown as Lane[]
const entry = (action: string, subject: string | null, input: Record<string, unknown>): AuditEntry => ({ id: 1, at: '2026-11-01T01:00:00.000Z', actor: null, action, subject, detail: { input } })

describe('audit entries as sentences', () => {
  it('reads the newer commands in Chinese, without codes, ids or ISO times', () => {
    const lines = [
      auditLine({ ...entry('barrier.raised', 'passageId=7', {}), detail: { laneId: 'in1', source: 'remote', sourceText: '遥控抬杆', bgzt: '1' } }, lanes),
      auditLine(entry('passage.clip.request', 'passageId=7', { passageId: 7 }), lanes),
      auditLine(entry('video.export', null, { laneId: 'in1', from: '2026-11-01', to: '2026-11-02' }), lanes),
      auditLine(entry('laneSettings.set', 'laneId=in1', { laneId: 'in1', allowedColours: ['1', '2'], confirmEveryOpening: true, goodsBeforeExit: false }), lanes),
      auditLine(entry('localLists.add', null, { kind: 'black', plate: '豫A12345', note: '', validity: '3m' }), lanes),
      auditLine(entry('controlMeasures.set', null, { level: '3', area: '1', strategy: null, enterpriseType: null, measures: null, note: '', startsAt: '2026-11-01T00:00:00+08:00', endsAt: '2026-11-03T00:00:00+08:00' }), lanes)
    ]
    expect(lines.map((line) => line.action)).toEqual(['抬杆', '调取录像', '导出通行记录与录像', '修改车道设置', '加入本地名单', '设置管控措施'])
    expect(lines[0]!.detail).toContain('抬杆方式：遥控抬杆')
    expect(lines[0]!.detail).toContain('车道：1号入口')
    expect(lines[2]!.detail).toBe('车道：1号入口，起始日期：2026-11-01，截止日期：2026-11-02')
    expect(lines[3]!.detail).toContain('二次确认：是')
    expect(lines[4]!.detail).toContain('有效期：3 个月')
    expect(lines[4]!.detail).toContain('车牌：豫A12345')
    expect(lines[5]!.detail).toContain('管控等级：红色')
    expect(lines[5]!.detail).toContain('开始时间：2026-11-01 00:00')
    expect(auditLine(entry('innerVehicles.setStatus', 'id=1', { id: 1, status: '2', note: '年检过期' }), lanes).detail).toBe('状态：封存，说明：年检过期')
    // At the plant (no lanes of its own) the lane is named as its booth reported it.
    const plantLine = auditLine(entry('plant.setLaneSettings', 'laneId=in1', { gateCode: '01', laneId: 'in1', laneName: '1号入口', allowedColours: ['2'], confirmEveryOpening: false, goodsBeforeExit: false }), [])
    expect(plantLine).toEqual({ action: '修改门岗车道设置（下发到岗亭）', subject: '1号入口', detail: '门岗编号：01，车道：1号入口，允许的车牌颜色：白色，二次确认：否，必须登记货物才放行：否' })
    for (const line of [...lines, plantLine]) expect(`${line.action}${line.subject}${line.detail}`.replace(/豫A\d{5}/, '')).not.toMatch(/[A-Za-z]{2,}|T\d{2}:|\+08/)
  })
})
