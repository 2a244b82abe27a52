import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { ConfigProvider, DatePicker } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import enUS from 'antd/locale/en_US'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { describeError } from '../../api'
import { fill, type Messages } from '../../i18n'
import { useGate } from '../../state/hooks'
import './plant.css'

/** A screen's data loaded when shown and on `reload()`, with the failure in Chinese. */
export function useLoaded<T>(load: () => Promise<T>, initial: T): { value: T; error: string | null; reload: () => void } {
  const [value, setValue] = useState<T>(initial)
  const [error, setError] = useState<string | null>(null)
  const [round, setRound] = useState(0)
  useEffect(() => {
    let cancelled = false
    load().then(
      (loaded) => !cancelled && (setValue(loaded), setError(null)),
      (failure: unknown) => !cancelled && setError(describeError(failure))
    )
    return () => {
      cancelled = true
    }
  }, [load, round])
  return { value, error, reload: useCallback(() => setRound((n) => n + 1), []) }
}

/** How long a vehicle stayed (or has stayed so far): 2 小时 5 分, or 42 分钟. */
export function dwellText(ms: number, t: Messages): string {
  const minutes = Math.floor(ms / 60_000)
  return minutes >= 60 ? fill(t.plant.hours, { h: Math.floor(minutes / 60), m: minutes % 60 }) : fill(t.plant.minutes, { m: minutes })
}

export const gateText = (gate: string, t: Messages) => fill(t.plant.gateN, { gate })

/** A Beijing day (yyyy-MM-dd) picked in the user's language. */
export function DayPicker({ value, onChange, testId }: { value: string; onChange: (day: string) => void; testId: string }) {
  return <DatePicker value={dayjs(value)} allowClear={false} onChange={(day) => day && onChange(day.format('YYYY-MM-DD'))} data-testid={testId} />
}

/** A table of the plant's screens: its column headings, then the rows it is given. */
export function PlantTable({ headings, children }: { headings: readonly string[]; children: ReactNode }) {
  return (
    <table className="plant-table">
      <thead>
        <tr>
          {headings.map((heading, i) => (
            <th key={i}>{heading}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  )
}

export function PlantScreen({ label, testId, error, children }: { label: string; testId: string; error: string | null; children: ReactNode }) {
  const locale = useGate((state) => state.locale)
  return (
    <ConfigProvider locale={locale === 'zh' ? zhCN : enUS}>
      <section className="plant-screen" aria-label={label} data-testid={testId}>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {children}
      </section>
    </ConfigProvider>
  )
}
