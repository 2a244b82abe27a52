import { useMemo } from 'react'
import type { Lane, Passage } from '@shared/contract'
import { formatClock } from '../format'
import { useGate } from '../state/hooks'
import { PlateBadge } from './PlateBadge'
import { DecisionTag, OfflineTag, UploadTag } from './tags'

export function PassageJournal({ lanes }: { lanes: Lane[] }) {
  const passages = useGate((state) => state.passages)
  const laneNames = useMemo(() => new Map(lanes.map((lane) => [lane.id, lane.name])), [lanes])
  return (
    <section className="journal" aria-label="过车记录">
      <table>
        <thead>
          <tr>
            <th>时间</th>
            <th>车道</th>
            <th>车牌</th>
            <th>判定</th>
            <th>原因</th>
            <th>离线</th>
            <th>流水号</th>
            <th>上传</th>
          </tr>
        </thead>
        <tbody>
          {passages.map((passage) => (
            <PassageRow key={passage.id} passage={passage} laneName={laneNames.get(passage.laneId) ?? passage.laneId} />
          ))}
        </tbody>
      </table>
      {passages.length === 0 && <p className="journal__empty">暂无过车记录</p>}
    </section>
  )
}

function PassageRow({ passage, laneName }: { passage: Passage; laneName: string }) {
  return (
    <tr
      data-testid="passage-row"
      data-lsh={passage.lsh}
      data-plate={passage.plate}
      data-decision={passage.decision}
      data-upload={passage.upload}
    >
      <td>
        <time dateTime={passage.recognizedAt}>{formatClock(passage.recognizedAt)}</time>
      </td>
      <td>{laneName}</td>
      <td>
        <PlateBadge plate={passage.plate} colour={passage.plateColour} />
      </td>
      <td>
        <DecisionTag decision={passage.decision} />
      </td>
      <td className="journal__reason" title={passage.reasonText}>
        {passage.reasonText}
      </td>
      <td>{passage.decidedOffline && <OfflineTag />}</td>
      <td className="journal__lsh">{passage.lsh}</td>
      <td>
        <UploadTag state={passage.upload} error={passage.uploadError} />
      </td>
    </tr>
  )
}
