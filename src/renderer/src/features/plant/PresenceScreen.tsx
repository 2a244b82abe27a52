import { useCallback, useEffect } from 'react'
import type { PlantPresence } from '@shared/contract'
import { PlateBadge } from '../../components/PlateBadge'
import { formatRecent } from '../../format'
import { fill, useT } from '../../i18n'
import { useSession } from '../../state/hooks'
import { dwellText, gateText, PlantScreen, PlantTable, useLoaded } from './shared'

const NONE: PlantPresence[] = []
const REFRESH_MS = 15_000

/** 厂内在场车辆: vehicles whose latest passage at any gate is an entry, longest inside first; refreshed while shown. */
export default function PresenceScreen() {
  const t = useT()
  const { call } = useSession()
  const load = useCallback(() => call('plant.presence', {}), [call])
  const { value: inside, error, reload } = useLoaded(load, NONE)
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS)
    return () => clearInterval(timer)
  }, [reload])
  return (
    <PlantScreen label={t.plant.presenceTitle} testId="plant-presence" error={error}>
      <p data-testid="plant-presence-count">{fill(t.plant.insideCount, { count: inside.length })}</p>
      <PlantTable headings={[t.plant.plate, t.plant.entryGate, t.plant.enteredAt, t.plant.dwell]}>
        {inside.map((vehicle) => (
          <tr key={vehicle.plate} data-testid="plant-present" data-plate={vehicle.plate} data-gate={vehicle.gateCode}>
            <td>
              <PlateBadge plate={vehicle.plate} colour={vehicle.plateColour} />
            </td>
            <td>{gateText(vehicle.gateCode, t)}</td>
            <td>{formatRecent(vehicle.enteredAt)}</td>
            <td>{dwellText(vehicle.dwellMs, t)}</td>
          </tr>
        ))}
      </PlantTable>
    </PlantScreen>
  )
}
