import { useEffect, useState, type CSSProperties } from 'react'
import { ApiCallError, type CameraFrame } from '@shared/contract'
import { deviceProblemText } from '@shared/device-text'
import { useSession } from '../state/hooks'

/** `pending` until main has accepted the watch, so a lane without a camera never flashes a placeholder. */
type ViewState = { kind: 'pending' } | { kind: 'connecting' } | { kind: 'frame'; frame: CameraFrame } | { kind: 'no-camera' }

/** How long without a new frame before the picture is shown as stale, in frame intervals. */
const STALE_INTERVALS = 4
const RETRY_MS = 3_000

function newViewerId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`
}

/**
 * The lane camera's live picture: watches the lane while mounted and the page is visible (renewing the lease main
 * grants), shows the newest frame, and a clear placeholder when the camera is offline or the frames stop.
 */
export function LiveView({ laneId }: { laneId: string }) {
  const { call, subscribe } = useSession()
  const [view, setView] = useState<ViewState>({ kind: 'pending' })
  const [fps, setFps] = useState(2)
  const [now, setNow] = useState(() => Date.now())

  useEffect(() => {
    const viewerId = newViewerId()
    let timer: ReturnType<typeof setTimeout> | undefined
    let active = false
    const unsubscribe = subscribe('camera.frame', (frame) => {
      if (frame.laneId === laneId) setView({ kind: 'frame', frame })
    })
    const watch = () => {
      clearTimeout(timer)
      if (!active) return
      call('camera.live.watch', { laneId, viewerId })
        .then(({ fps: granted, leaseMs }) => {
          setFps(granted)
          setView((current) => (current.kind === 'pending' ? { kind: 'connecting' } : current))
          if (active) timer = setTimeout(watch, leaseMs / 2)
        })
        .catch((error: unknown) => {
          if (error instanceof ApiCallError && error.error.code === 'not_found') return setView({ kind: 'no-camera' })
          if (active) timer = setTimeout(watch, RETRY_MS)
        })
    }
    const start = () => {
      if (active) return
      active = true
      watch()
    }
    const pause = () => {
      if (!active) return
      active = false
      clearTimeout(timer)
      void call('camera.live.unwatch', { laneId, viewerId }).catch(() => undefined)
    }
    const onVisibility = () => (document.visibilityState === 'hidden' ? pause() : start())
    document.addEventListener('visibilitychange', onVisibility)
    if (document.visibilityState !== 'hidden') start()
    const clock = setInterval(() => setNow(Date.now()), 1_000)
    return () => {
      document.removeEventListener('visibilitychange', onVisibility)
      clearInterval(clock)
      pause()
      unsubscribe()
    }
  }, [call, subscribe, laneId])

  if (view.kind === 'no-camera' || view.kind === 'pending') return null
  const frame = view.kind === 'frame' ? view.frame : null
  const stale = frame !== null && now - Date.parse(frame.at) > (STALE_INTERVALS * 1000) / fps + 1_000
  const placeholder = !frame ? '正在连接摄像机…' : !frame.jpegBase64 ? `摄像机离线：${deviceProblemText(frame.error) || '无画面'}` : stale ? '摄像机无新画面' : null
  return (
    <figure className="live-view" data-testid="live-view" data-lane-id={laneId} data-state={placeholder ? 'offline' : 'live'} style={styles.figure}>
      {frame?.jpegBase64 && <img src={`data:image/jpeg;base64,${frame.jpegBase64}`} alt="车道实时画面" style={{ ...styles.image, opacity: placeholder ? 0.35 : 1 }} />}
      {placeholder && (
        <figcaption role="status" style={styles.placeholder}>
          {placeholder}
        </figcaption>
      )}
    </figure>
  )
}

const styles: Record<'figure' | 'image' | 'placeholder', CSSProperties> = {
  figure: { position: 'relative', margin: '8px 0', aspectRatio: '16 / 9', background: '#1f2326', borderRadius: 6, overflow: 'hidden' },
  image: { display: 'block', width: '100%', height: '100%', objectFit: 'cover' },
  placeholder: { position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center', color: '#f0f0f0', fontSize: 14, textAlign: 'center', padding: 8 }
}
