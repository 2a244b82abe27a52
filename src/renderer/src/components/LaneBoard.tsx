import type { Lane } from '@shared/contract'
import { LaneTile } from './LaneTile'

export function LaneBoard({ lanes }: { lanes: Lane[] }) {
  return (
    <section className="lane-board" aria-label="车道">
      {lanes.map((lane) => (
        <LaneTile key={lane.id} lane={lane} />
      ))}
    </section>
  )
}
