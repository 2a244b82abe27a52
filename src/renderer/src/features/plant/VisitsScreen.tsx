import { useCallback, useState } from 'react'
import type { PlantVisit } from '@shared/contract'
import { PlateBadge } from '../../components/PlateBadge'
import { beijingDate, formatRecent } from '../../format'
import { useT } from '../../i18n'
import { useSession } from '../../state/hooks'
import { DayPicker, dwellText, gateText, PlantScreen, PlantTable, useLoaded } from './shared'

const NONE: PlantVisit[] = []

/** 车辆进出厂: each entry of the day with the exit that followed at any gate, and the dwell between them. */
export default function VisitsScreen() {
  const t = useT()
  const { call } = useSession()
  const [day, setDay] = useState(beijingDate())
  const load = useCallback(() => call('plant.visits', { day }), [call, day])
  const { value: visits, error } = useLoaded(load, NONE)
  return (
    <PlantScreen label={t.plant.visitsTitle} testId="plant-visits" error={error}>
      <div className="plant-filters">
        <DayPicker value={day} onChange={setDay} testId="plant-visits-day" />
      </div>
      {visits.length === 0 && !error && <p className="journal__empty">{t.plant.empty}</p>}
      <PlantTable headings={[t.plant.plate, t.plant.entryGate, t.plant.entryAt, t.plant.exitGate, t.plant.exitAt, t.plant.dwell]}>
        {visits.map((visit) => (
          <tr key={`${visit.plate}-${visit.entryAt}`} data-testid="plant-visit" data-plate={visit.plate} data-entry-gate={visit.entryGate} data-exit-gate={visit.exitGate ?? ''}>
            <td>
              <PlateBadge plate={visit.plate} colour={visit.plateColour} />
            </td>
            <td>{gateText(visit.entryGate, t)}</td>
            <td>{formatRecent(visit.entryAt)}</td>
            <td>{visit.exitGate ? gateText(visit.exitGate, t) : '—'}</td>
            <td>{visit.exitAt ? formatRecent(visit.exitAt) : '—'}</td>
            <td data-testid="plant-visit-dwell">{visit.dwellMs === null ? t.plant.stillInside : dwellText(visit.dwellMs, t)}</td>
          </tr>
        ))}
      </PlantTable>
    </PlantScreen>
  )
}
