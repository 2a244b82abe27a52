import { useEffect, useRef, useState, type DragEvent } from 'react'
import type { OcrDocument, OcrReading } from '@shared/contract'
import { fuelTypeLabel } from '@shared/spec'
import { describeError, fieldIssues } from '../../api'
import { fill, useT } from '../../i18n'
import { useSession } from '../../state/hooks'
import { MAX_PICK_MB, PictureError, pictureFromFile, pictureFromVideo } from './reading'

type Status = { kind: 'idle' } | { kind: 'reading' } | { kind: 'done'; text: string } | { kind: 'failed'; text: string }

/**
 * 识别证件: a 行驶证 page or 随车清单 picture — picked, dropped, or taken with a document camera / webcam — read by
 * main (`ocr.read`) and handed to the form, which fills itself and marks what to check. A picture that cannot be read
 * leaves the form as it was, with the reason.
 */
export function DocumentReader({ prefix, onRead }: { prefix: string; onRead(reading: OcrReading): { filled: number; toCheck: number } }) {
  const t = useT()
  const { call } = useSession()
  const [document, setDocument] = useState<OcrDocument>('auto')
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const [camera, setCamera] = useState(false)
  const [dragging, setDragging] = useState(false)
  const id = `${prefix}-ocr`

  async function read(picture: () => Promise<string>) {
    setStatus({ kind: 'reading' })
    try {
      const reading = await call('ocr.read', { document, imageBase64: await picture() })
      const { filled, toCheck } = onRead(reading)
      const fuel = reading.fields.find((field) => field.field === 'fuelType' && field.value)
      const text = `${fill(t.ocr.done, { document: t.ocr.documents[reading.document], filled })}${toCheck > 0 ? fill(t.ocr.toCheck, { n: toCheck }) : t.ocr.allGood}${fuel ? `。${fill(t.ocr.fuel, { fuel: fuelTypeLabel(fuel.value) })}` : ''}`
      setStatus({ kind: 'done', text })
    } catch (failure) {
      const message = failure instanceof PictureError ? fill(t.ocr[failure.problem], { max: MAX_PICK_MB }) : (fieldIssues(failure).imageBase64 ?? describeError(failure))
      setStatus({ kind: 'failed', text: fill(t.ocr.failed, { message }) })
    }
  }

  const readFile = (file: File | undefined) => {
    if (file) void read(() => pictureFromFile(file))
  }
  const drop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    readFile(event.dataTransfer.files[0])
  }

  return (
    <section
      className={dragging ? 'ocr-reader ocr-reader--drop' : 'ocr-reader'}
      data-testid={id}
      aria-label={t.ocr.title}
      onDragOver={(event) => {
        event.preventDefault()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <div className="ocr-reader__tools">
        <strong>{t.ocr.title}</strong>
        <label>
          {t.ocr.document}
          <select data-testid={`${id}-document`} value={document} onChange={(e) => setDocument(e.target.value as OcrDocument)}>
            {(['auto', 'licenseMain', 'licenseVice', 'goodsList'] as const).map((kind) => (
              <option key={kind} value={kind}>
                {t.ocr.documents[kind]}
              </option>
            ))}
          </select>
        </label>
        <label className="button">
          {t.ocr.pick}
          <input
            className="ocr-reader__file"
            data-testid={`${id}-file`}
            type="file"
            accept="image/jpeg,image/png"
            onChange={(e) => {
              readFile(e.target.files?.[0])
              e.target.value = ''
            }}
          />
        </label>
        <button type="button" className="button" data-testid={`${id}-camera`} onClick={() => setCamera((open) => !open)}>
          {camera ? t.ocr.cameraClose : t.ocr.camera}
        </button>
      </div>
      <p className="ocr-reader__hint">{t.ocr.hint}</p>
      {camera && <CameraCapture id={id} busy={status.kind === 'reading'} onCapture={(video) => void read(() => pictureFromVideo(video))} />}
      {status.kind === 'reading' && (
        <p className="ocr-reader__status" data-testid={`${id}-status`} data-state="reading">
          {t.ocr.reading}
        </p>
      )}
      {(status.kind === 'done' || status.kind === 'failed') && (
        <p className={`ocr-reader__status ocr-reader__status--${status.kind}`} data-testid={`${id}-status`} data-state={status.kind} role={status.kind === 'failed' ? 'alert' : 'status'}>
          {status.text}
        </p>
      )}
    </section>
  )
}

/** The document camera's (or webcam's) live picture and the button that takes a frame; the camera stops when closed. */
function CameraCapture({ id, busy, onCapture }: { id: string; busy: boolean; onCapture(video: HTMLVideoElement): void }) {
  const t = useT()
  const video = useRef<HTMLVideoElement>(null)
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([])
  const [deviceId, setDeviceId] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [live, setLive] = useState(false)

  useEffect(() => {
    let stream: MediaStream | null = null
    let cancelled = false
    setLive(false)
    // A document camera gives its full resolution when asked for more than it has.
    const constraints: MediaStreamConstraints = { audio: false, video: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: 2592 }, height: { ideal: 1944 } } }
    navigator.mediaDevices
      .getUserMedia(constraints)
      .then(async (opened) => {
        if (cancelled) return opened.getTracks().forEach((track) => track.stop())
        stream = opened
        setProblem(null)
        if (video.current) {
          video.current.srcObject = opened
          await video.current.play().catch(() => undefined)
          setLive(true)
        }
        const devices = await navigator.mediaDevices.enumerateDevices()
        if (!cancelled) setCameras(devices.filter((device) => device.kind === 'videoinput'))
      })
      .catch(() => setProblem(t.ocr.cameraUnavailable))
    return () => {
      cancelled = true
      stream?.getTracks().forEach((track) => track.stop())
    }
  }, [deviceId, t])

  return (
    <div className="ocr-camera" data-testid={`${id}-camera-view`}>
      {problem ? (
        <p className="form-error" role="alert" data-testid={`${id}-camera-problem`}>
          {problem}
        </p>
      ) : (
        <>
          <video ref={video} className="ocr-camera__video" muted playsInline />
          <div className="ocr-reader__tools">
            {cameras.length > 1 && (
              <label>
                {t.ocr.cameraChoose}
                <select data-testid={`${id}-camera-device`} value={deviceId} onChange={(e) => setDeviceId(e.target.value)}>
                  {cameras.map((camera, index) => (
                    <option key={camera.deviceId || index} value={camera.deviceId}>
                      {camera.label || `${t.ocr.cameraChoose} ${index + 1}`}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <button type="button" className="button" data-testid={`${id}-capture`} disabled={!live || busy} onClick={() => video.current && onCapture(video.current)}>
              {t.ocr.capture}
            </button>
          </div>
        </>
      )}
    </div>
  )
}
