import { useCallback, useEffect, useState } from 'react'
import { Alert, Button, Card, ConfigProvider, DatePicker, Select, Space, Table } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import dayjs, { type Dayjs } from 'dayjs'
import 'dayjs/locale/zh-cn'
import type { DailyStatistics, Lane, StorageStatus } from '@shared/contract'
import { describeError } from '../../api'
import { beijingDate } from '../../format'
import { saveFile } from '../../save-file'
import { useSession } from '../../state/hooks'
import { DailyChart } from './DailyChart'
import { COLUMN_TITLES } from './labels'
import { ClipExportButton } from '../video/ClipExportButton'

dayjs.locale('zh-cn')

type Range = [Dayjs, Dayjs]

/** 统计报表: spec 4.2.12 counts per day for a range and a lane, a chart, Excel/PDF export, and the disk warning. */
export function ReportsPanel({ lanes }: { lanes: Lane[] }) {
  const { call, subscribe } = useSession()
  const [range, setRange] = useState<Range>(() => {
    // The Beijing day, not the PC's: in the evening UTC they differ, and the counts are per Beijing day.
    const today = dayjs(beijingDate())
    return [today.subtract(6, 'day'), today]
  })
  const [laneId, setLaneId] = useState<string | undefined>(undefined)
  const [stats, setStats] = useState<DailyStatistics | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<'query' | 'xlsx' | 'pdf' | null>(null)
  const [storage, setStorage] = useState<StorageStatus | null>(null)

  const query = useCallback(
    () => ({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), ...(laneId ? { laneId } : {}) }),
    [range, laneId]
  )

  const load = useCallback(async () => {
    setBusy('query')
    try {
      setStats(await call('stats.daily', query()))
      setError(null)
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setBusy(null)
    }
  }, [call, query])

  const exportAs = async (format: 'xlsx' | 'pdf') => {
    setBusy(format)
    try {
      saveFile(await call('stats.export', { ...query(), format }))
      setError(null)
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setBusy(null)
    }
  }

  useEffect(() => {
    void load()
  }, [load])

  useEffect(() => {
    void call('storage.status', {}).then(setStorage, () => {})
    return subscribe('storage.status', setStorage)
  }, [call, subscribe])

  return (
    <ConfigProvider locale={zhCN}>
      <Card title="统计报表" size="small" className="reports-panel" data-testid="reports-panel">
        {storage && storage.level !== 'ok' && (
          <Alert type={storage.level === 'critical' ? 'error' : 'warning'} showIcon message={storage.message} data-testid="storage-alert" style={{ marginBottom: 12 }} />
        )}
        <Space wrap style={{ marginBottom: 12 }}>
          <DatePicker.RangePicker value={range} allowClear={false} onChange={(value) => value?.[0] && value[1] && setRange([value[0], value[1]])} />
          <Select
            style={{ width: 160 }}
            value={laneId ?? ''}
            onChange={(value: string) => setLaneId(value || undefined)}
            options={[{ value: '', label: '全部车道' }, ...lanes.map((lane) => ({ value: lane.id, label: lane.name }))]}
            data-testid="reports-lane"
          />
          <Button onClick={() => void load()} loading={busy === 'query'} data-testid="reports-query">
            查询
          </Button>
          <Button onClick={() => void exportAs('xlsx')} loading={busy === 'xlsx'} data-testid="reports-export-xlsx">
            导出 Excel
          </Button>
          <Button onClick={() => void exportAs('pdf')} loading={busy === 'pdf'} data-testid="reports-export-pdf">
            导出 PDF
          </Button>
          <ClipExportButton period={query} onError={setError} />
        </Space>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="reports-error" />}
        {stats && (
          <>
            <DailyChart stats={stats} />
            <Table
              size="small"
              rowKey="date"
              pagination={false}
              scroll={{ x: true }}
              dataSource={stats.days}
              columns={[{ title: '日期', dataIndex: 'date', fixed: 'left' as const }, ...COLUMN_TITLES.map(([field, title]) => ({ title, dataIndex: field, align: 'right' as const }))]}
              summary={() => (
                <Table.Summary.Row data-testid="reports-total">
                  <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
                  {COLUMN_TITLES.map(([field], index) => (
                    <Table.Summary.Cell key={field} index={index + 1} align="right">
                      {stats.total[field]}
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              )}
            />
            <p className="reports-note">本地号牌前缀：{stats.localPlatePrefixes.join('、') || '未配置（不区分外地车）'}</p>
          </>
        )}
      </Card>
    </ConfigProvider>
  )
}
