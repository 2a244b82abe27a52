import { useCallback, useState } from 'react'
import type { PlantJournalRow } from '@shared/contract'
import { PlateBadge } from '../../components/PlateBadge'
import { beijingDate, formatRecent } from '../../format'
import { useT } from '../../i18n'
import { useSession } from '../../state/hooks'
import { PlantPhotosButton } from './PlantPhotos'
import { DayPicker, gateText, PlantScreen, PlantTable, useLoaded } from './shared'

const NONE: PlantJournalRow[] = []
const GATES = Array.from({ length: 99 }, (_, i) => String(i + 1).padStart(2, '0'))

/** 全厂过车记录: every gate's passages of a day, newest first, with the gate, by plate (any part) and gate. */
export default function JournalScreen() {
  const t = useT()
  const { call } = useSession()
  const [day, setDay] = useState(beijingDate())
  const [plate, setPlate] = useState('')
  const [gate, setGate] = useState('')
  const [query, setQuery] = useState({ plate: '', gate: '' })
  const load = useCallback(
    () => call('plant.journal', { day, limit: 200, ...(query.plate ? { plate: query.plate } : {}), ...(query.gate ? { gateCode: query.gate } : {}) }),
    [call, day, query]
  )
  const { value: rows, error } = useLoaded(load, NONE)
  return (
    <PlantScreen label={t.plant.journalTitle} testId="plant-journal" error={error}>
      <form
        className="plant-filters"
        onSubmit={(event) => {
          event.preventDefault()
          setQuery({ plate: plate.trim(), gate })
        }}
      >
        <DayPicker value={day} onChange={setDay} testId="plant-journal-day" />
        <label>
          {t.plant.plate}
          <input value={plate} onChange={(event) => setPlate(event.target.value)} data-testid="plant-journal-plate" />
        </label>
        <label>
          {t.plant.gate}
          <select value={gate} onChange={(event) => setGate(event.target.value)} data-testid="plant-journal-gate">
            <option value="">{t.plant.allGates}</option>
            {GATES.map((code) => (
              <option key={code} value={code}>
                {gateText(code, t)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button" data-testid="plant-journal-search">
          {t.plant.search}
        </button>
      </form>
      {rows.length === 0 && !error && <p className="journal__empty">{t.plant.empty}</p>}
      <PlantTable headings={[t.plant.time, t.plant.gate, t.plant.direction, t.plant.plate, t.vehicleClass.label, t.plant.decision, t.plant.upload]}>
        {rows.map((row) => (
          <tr key={row.id} data-testid="plant-journal-row" data-gate={row.gateCode} data-direction={row.direction} data-plate={row.plate}>
            <td>
              <time dateTime={row.recognizedAt}>{formatRecent(row.recognizedAt)}</time>
            </td>
            <td>{gateText(row.gateCode, t)}</td>
            <td>{row.direction === 'in' ? t.plant.in : t.plant.out}</td>
            <td>
              <PlateBadge plate={row.plate} colour={row.plateColour} /> <PlantPhotosButton row={row} />
            </td>
            <td data-testid="plant-journal-vehicle-class" title={t.vehicleClass.hint}>
              {row.vehicleClass ? t.vehicleClass[row.vehicleClass] : '—'}
            </td>
            <td>
              {row.passed ? t.plant.passed : t.plant.notPassed}（{row.reasonText}）
            </td>
            <td>{t.plant.uploadState[row.upload]}</td>
          </tr>
        ))}
      </PlantTable>
    </PlantScreen>
  )
}
