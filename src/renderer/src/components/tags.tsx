import { UPLOAD_LABEL, type Decision, type UploadState } from '@shared/contract'
import { DECISION_LABEL } from '../format'
import { platformProblemText } from '../platform-text'

export function DecisionTag({ decision, size = 'small' }: { decision: Decision; size?: 'large' | 'small' }) {
  return <span className={`decision decision--${decision} decision--${size}`}>{DECISION_LABEL[decision]}</span>
}

export function OfflineTag() {
  return (
    <span className="tag tag--offline" title="平台未及时应答，本次依据本地记录判定">
      离线判定
    </span>
  )
}

export function UploadTag({ state, error }: { state: UploadState; error: string | null }) {
  return (
    <span className={`upload upload--${state}`} title={error ? platformProblemText(error) : undefined}>
      {UPLOAD_LABEL[state]}
    </span>
  )
}
