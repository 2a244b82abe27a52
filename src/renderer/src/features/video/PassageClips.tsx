import { useEffect, useState } from 'react'
import { CLIP_STATE_LABEL, type Passage, type PassageClip } from '@shared/contract'
import { describeError } from '../../api'
import { formatClock } from '../../format'
import { useT } from '../../i18n'
import { useGate, useSession } from '../../state/hooks'

/**
 * A passage's video from the lane's recorder, in the passage's viewer: each channel's clip with its state; a stored
 * one plays here (the MP4 comes through the API and plays from a blob: URL, so it needs no file path of its own);
 * an admin asks for one the booth did not fetch by itself, or again for a missing one.
 */
export function PassageClips({ passage }: { passage: Passage }) {
  const t = useT()
  const { call, subscribe } = useSession()
  const admin = useGate((state) => state.session?.actor?.role === 'admin')
  const [clips, setClips] = useState<PassageClip[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [playing, setPlaying] = useState<{ channel: string; url: string } | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let live = true
    const load = () =>
      call('passage.clips', { passageId: passage.id }).then(
        (loaded) => live && setClips(loaded),
        (failure: unknown) => live && setError(describeError(failure))
      )
    void load()
    const unsubscribe = subscribe('clip.updated', (clip) => clip.passageId === passage.id && void load())
    return () => {
      live = false
      unsubscribe()
    }
  }, [call, subscribe, passage.id])

  useEffect(() => () => {
    if (playing) URL.revokeObjectURL(playing.url)
  }, [playing])

  if (!clips || clips.length === 0) return error ? <p className="form-error" role="alert">{error}</p> : null

  const play = async (clip: PassageClip) => {
    setBusy(true)
    try {
      const video = await call('passage.clip.video', { passageId: passage.id, channel: clip.channel })
      const bytes = Uint8Array.from(atob(video.base64), (ch) => ch.charCodeAt(0))
      setPlaying({ channel: clip.channel, url: URL.createObjectURL(new Blob([bytes], { type: video.mimeType })) })
      setError(null)
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setBusy(false)
    }
  }

  const request = async () => {
    setBusy(true)
    try {
      setClips(await call('passage.clip.request', { passageId: passage.id }))
      setError(null)
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setBusy(false)
    }
  }

  const canRequest = admin && clips.some((clip) => clip.state === 'reference' || clip.state === 'missing')
  return (
    <section className="passage-clips" data-testid="passage-clips" aria-label={t.video.title}>
      <h4>{t.video.title}</h4>
      <ul>
        {clips.map((clip) => (
          <li key={clip.channel} data-testid="passage-clip" data-state={clip.state}>
            <span>
              {clip.recorder} · {t.video.channel} {clip.channel} · {formatClock(clip.start)}–{formatClock(clip.end)}
            </span>{' '}
            <strong>{CLIP_STATE_LABEL[clip.state]}</strong>
            {clip.cause && <span> （{clip.cause}）</span>}
            {clip.error && <span className="passage-clips__error" data-testid="clip-error"> {clip.error}</span>}{' '}
            {clip.state === 'stored' && (
              <button type="button" className="button" data-testid="clip-play" disabled={busy} onClick={() => void play(clip)}>
                {t.video.play}
              </button>
            )}
          </li>
        ))}
      </ul>
      {canRequest && (
        <button type="button" className="button" data-testid="clip-request" disabled={busy} onClick={() => void request()}>
          {t.video.request}
        </button>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {playing && <video key={playing.url} data-testid="clip-video" src={playing.url} controls autoPlay muted width={480} />}
    </section>
  )
}
