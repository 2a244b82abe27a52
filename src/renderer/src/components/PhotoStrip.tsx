import { Image } from 'antd'
import { photoName, type PassagePhoto } from '@shared/contract'
import { labelOf } from '@shared/spec'
import { formatClock } from '../format'
import { useT } from '../i18n'

/** A passage's photos side by side, each with its name, type and time; antd's preview zooms (wheel, buttons) and rotates. */
export function PhotoStrip({ photos, plate }: { photos: readonly PassagePhoto[]; plate: string }) {
  const t = useT()
  if (photos.length === 0) return <p data-testid="no-photos">{t.journal.noPhotos}</p>
  return (
    <>
      <p className="dialog-form__hint">{t.journal.zoomHint}</p>
      <Image.PreviewGroup>
        <div className="photo-strip">
          {photos.map((photo) => (
            <figure key={photo.zpbh} data-testid="passage-photo">
              <Image src={`data:image/jpeg;base64,${photo.jpegBase64}`} width={320} alt={`${plate} ${photo.zpbh}`} />
              <figcaption>
                {photoName(photo.zpbh)} · {labelOf('photoType', photo.zplx) ?? photo.zplx} · {formatClock(photo.takenAt)}
              </figcaption>
            </figure>
          ))}
        </div>
      </Image.PreviewGroup>
    </>
  )
}
