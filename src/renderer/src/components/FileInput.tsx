import { useState } from 'react'
import { useT } from '../i18n'
import { describedBy } from './form'

/**
 * A file picker that speaks the UI's language: the browser's own control says "Choose File / No file chosen" in the
 * browser's language, so it is hidden (still the input that takes the file) behind a button and the chosen name.
 */
export function FileInput({ id, testId, issue, accept, onFile }: { id: string; testId: string; issue: string | undefined; accept: string; onFile(file: File | null): void }) {
  const t = useT()
  const [name, setName] = useState('')
  return (
    <span className="file-input">
      <input
        {...describedBy(id, issue)}
        data-testid={testId}
        className="file-input__native"
        type="file"
        accept={accept}
        onChange={(event) => {
          const file = event.target.files?.[0] ?? null
          setName(file?.name ?? '')
          onFile(file)
        }}
      />
      <label htmlFor={id} className="button" data-testid={`${testId}-choose`}>
        {t.adminSettings.chooseFile}
      </label>
      <span className="file-input__name">{name || t.adminSettings.noFile}</span>
    </span>
  )
}
