import type { Lane, Passage } from '@shared/contract'
import { emissionStageLabel, fuelTypeLabel } from '@shared/spec'
import { DIRECTION_LABEL, formatClock } from '../format'
import { useGate } from '../state/hooks'
import { LiveView } from './LiveView'
import { PlateBadge } from './PlateBadge'
import { DecisionTag, OfflineTag } from './tags'

export function LaneTile({ lane }: { lane: Lane }) {
  const last = useGate((state) => state.lastByLane[lane.id])
  return (
    <article className={`lane-tile lane-tile--${last?.decision ?? 'idle'}`} data-testid="lane-tile" data-lane-id={lane.id}>
      <header className="lane-tile__head">
        <h2 title={lane.name}>{lane.name}</h2>
        <span className={`direction direction--${lane.direction}`}>{DIRECTION_LABEL[lane.direction]}</span>
      </header>
      <LiveView laneId={lane.id} />
      {last ? <LastPassage passage={last} /> : <p className="lane-tile__idle">暂无过车</p>}
    </article>
  )
}

function LastPassage({ passage }: { passage: Passage }) {
  return (
    <>
      <div className="lane-tile__plate">
        <PlateBadge plate={passage.plate} colour={passage.plateColour} size="large" />
        <time dateTime={passage.recognizedAt}>{formatClock(passage.recognizedAt)}</time>
      </div>
      <div className="lane-tile__decision">
        <DecisionTag decision={passage.decision} size="large" />
        {passage.decidedOffline && <OfflineTag />}
      </div>
      <p className="lane-tile__reason">{passage.reasonText}</p>
      {passage.verdict && (
        <p className="lane-tile__verdict">
          <span>排放阶段：{emissionStageLabel(passage.verdict.emissionStandard)}</span>
          <span>燃料：{fuelTypeLabel(passage.verdict.fuelType)}</span>
        </p>
      )}
    </>
  )
}
