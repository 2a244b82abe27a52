import { useEffect, useState } from 'react'
import type { PassagePhoto, PlantJournalRow } from '@shared/contract'
import { describeError } from '../../api'
import { DialogFrame } from '../../components/dialogs/DialogFrame'
import { PhotoStrip } from '../../components/PhotoStrip'
import { PlateBadge } from '../../components/PlateBadge'
import { formatClock } from '../../format'
import { useT } from '../../i18n'
import { useSession } from '../../state/hooks'
import { gateText } from './shared'

/** A journal row's 照片 action: the booth's photo view of that passage, its photos read from the plant. */
export function PlantPhotosButton({ row }: { row: PlantJournalRow }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" className="button button--quiet" onClick={() => setOpen(true)} data-testid="plant-journal-photos">
        {t.plantExports.photos}
      </button>
      {open && <PlantPhotoViewer row={row} onClose={() => setOpen(false)} />}
    </>
  )
}

function PlantPhotoViewer({ row, onClose }: { row: PlantJournalRow; onClose(): void }) {
  const t = useT()
  const { call } = useSession()
  const [photos, setPhotos] = useState<PassagePhoto[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    call('plant.photos', { passageId: row.id })
      .then(setPhotos)
      .catch((failure: unknown) => setError(describeError(failure)))
  }, [call, row.id])
  return (
    <DialogFrame title={t.journal.viewer} testId="photo-viewer" sending={false} error={error} onSubmit={onClose} onClose={onClose} readOnly width={720}>
      <p className="dialog-form__context">
        <PlateBadge plate={row.plate} colour={row.plateColour} /> {gateText(row.gateCode, t)} · {row.direction === 'in' ? t.plant.in : t.plant.out} · {formatClock(row.recognizedAt)}
      </p>
      {photos && <PhotoStrip photos={photos} plate={row.plate} />}
    </DialogFrame>
  )
}
