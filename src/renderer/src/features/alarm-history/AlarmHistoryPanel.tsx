import { useEffect, useMemo, useState } from 'react'
import { ConfigProvider, DatePicker } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import enUS from 'antd/locale/en_US'
import dayjs from 'dayjs'
import { alarmKindSchema, type Alarm, type AlarmKind } from '@shared/contract'
import { describeError } from '../../api'
import { formatRecent } from '../../format'
import { useT } from '../../i18n'
import { useGate, useSession } from '../../state/hooks'
import type { ScreenProps } from '../feature'
import { matches, type Filters } from './filters'

const HISTORY_ROWS = 500

/** 告警历史: the latest alarms, open and handled, filtered by type, lane, date range and state. */
export default function AlarmHistoryPanel({ lanes }: ScreenProps) {
  const t = useT()
  const s = t.adminSettings
  const { call } = useSession()
  const openCount = useGate((state) => state.alarms.length)
  const locale = useGate((state) => state.locale)
  const [alarms, setAlarms] = useState<Alarm[]>([])
  const [error, setError] = useState<string | null>(null)
  const [filters, setFilters] = useState<Filters>({ kind: '', laneId: '', from: '', to: '', state: '' })

  useEffect(() => {
    call('alarms.list', { limit: HISTORY_ROWS }).then(
      (loaded) => (setAlarms(loaded), setError(null)),
      (failure: unknown) => setError(describeError(failure))
    )
  }, [call, openCount])

  const shown = useMemo(() => alarms.filter((alarm) => matches(alarm, filters)), [alarms, filters])
  const set = <K extends keyof Filters>(key: K) => (value: Filters[K]) => setFilters((current) => ({ ...current, [key]: value }))
  const laneName = (laneId: string | null) => lanes.find((lane) => lane.id === laneId)?.name ?? ''

  return (
    <section className="audit" aria-label={s.alarmHistoryTitle} data-testid="alarm-history">
      <div className="settings__actions">
        <label>
          {s.historyKind}{' '}
          <select data-testid="history-kind" value={filters.kind} onChange={(event) => set('kind')(event.target.value as AlarmKind | '')}>
            <option value="">{s.allKinds}</option>
            {alarmKindSchema.options.map((kind) => (
              <option key={kind} value={kind}>
                {t.alarms.kinds[kind]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {s.historyLane}{' '}
          <select data-testid="history-lane" value={filters.laneId} onChange={(event) => set('laneId')(event.target.value)}>
            <option value="">{s.allLanes}</option>
            {lanes.map((lane) => (
              <option key={lane.id} value={lane.id}>
                {lane.name}
              </option>
            ))}
          </select>
        </label>
        <ConfigProvider locale={locale === 'zh' ? zhCN : enUS}>
          <DatePicker.RangePicker
            data-testid="history-dates"
            placeholder={[s.historyFrom, s.historyTo]}
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            allowEmpty={[true, true]}
            onChange={(days) => setFilters((current) => ({ ...current, from: days?.[0]?.format('YYYY-MM-DD') ?? '', to: days?.[1]?.format('YYYY-MM-DD') ?? '' }))}
          />
        </ConfigProvider>
        <label>
          {s.historyState}{' '}
          <select data-testid="history-state" value={filters.state} onChange={(event) => set('state')(event.target.value as Filters['state'])}>
            <option value="">{s.allStates}</option>
            <option value="open">{s.open}</option>
            <option value="acknowledged">{s.acknowledged}</option>
            <option value="unresolved">{s.ackedUnresolved}</option>
          </select>
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {shown.length === 0 && !error && <p className="journal__empty">{s.historyEmpty}</p>}
      <table className="settings__table">
        <thead>
          <tr>
            <th>{s.raisedAt}</th>
            <th>{s.historyKind}</th>
            <th>{s.historyLane}</th>
            <th>{s.message}</th>
            <th>{s.historyState}</th>
            <th>{s.handledBy}</th>
            <th>{s.handledNote}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((alarm) => (
            <tr key={alarm.id} data-testid="history-row" data-kind={alarm.kind} data-state={alarm.acknowledgedAt ? 'acknowledged' : 'open'}>
              <td>{formatRecent(alarm.raisedAt)}</td>
              <td>{t.alarms.kinds[alarm.kind]}</td>
              <td>{laneName(alarm.laneId)}</td>
              <td>{alarm.message}</td>
              <td>{!alarm.acknowledgedAt ? s.open : alarm.resolvedAt === null ? s.ackedUnresolved : s.acknowledged}</td>
              <td>{alarm.acknowledgedBy ?? ''}</td>
              <td>{alarm.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
