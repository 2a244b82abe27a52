import { RAISE_SOURCE_LABEL, UPLOAD_LABEL, type Decision, type RaiseSource, type UploadState, type VehicleClass } from '@shared/contract'
import { useT } from '../i18n'
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

/** How the arm rose; 遥控抬杆 (no command of ours) stands out as the alarm it is. */
export function RaiseTag({ source }: { source: RaiseSource | null | undefined }) {
  if (!source) return null
  return (
    <span className={`tag tag--raise tag--raise-${source}`} data-testid="raise-source" data-source={source} title={source === 'remote' ? '道闸抬起时本系统未发出抬杆指令，已报警' : undefined}>
      {RAISE_SOURCE_LABEL[source]}
    </span>
  )
}

/** The vehicle's class as the camera saw it (车型：大型货车); nothing when the camera did not say. */
export function VehicleClassTag({ vehicleClass }: { vehicleClass: VehicleClass | null | undefined }) {
  const t = useT()
  if (!vehicleClass) return null
  return (
    <span className="tag tag--vehicle" data-testid="vehicle-class" data-class={vehicleClass} title={t.vehicleClass.hint}>
      {t.vehicleClass.label}：{t.vehicleClass[vehicleClass]}
    </span>
  )
}
