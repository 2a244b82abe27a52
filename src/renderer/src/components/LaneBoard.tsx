import type { Lane } from '@shared/contract'
import { useT } from '../i18n'
import { useGate } from '../state/hooks'
import { LaneTile } from './LaneTile'

export function LaneBoard({ lanes }: { lanes: Lane[] }) {
  const t = useT()
  const refusalAlerts = useGate((state) => state.refusalAlerts)
  const lanesError = useGate((state) => state.partErrors.lanes)
  return (
    <section className="lane-board" aria-label={t.lane.select} data-testid="lane-board" data-refusal-alerts={refusalAlerts} data-lane-state-error={lanesError ? 'true' : undefined}>
      {lanes.map((lane, index) => (
        <LaneTile key={lane.id} lane={lane} index={index} />
      ))}
    </section>
  )
}
