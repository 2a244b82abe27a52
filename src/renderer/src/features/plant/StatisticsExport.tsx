import { useState } from 'react'
import { describeError } from '../../api'
import { useT } from '../../i18n'
import { saveFile } from '../../save-file'
import { useSession } from '../../state/hooks'
import { gateText } from './shared'

/** The statistics of the plant (by gate) or of one gate as Excel or PDF, downloaded as the booth's reports are. */
export function ExportButtons({ from, to, gates }: { from: string; to: string; gates: readonly string[] }) {
  const t = useT()
  const { call } = useSession()
  const [gate, setGate] = useState('')
  const [busy, setBusy] = useState<'xlsx' | 'pdf' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const exportAs = async (format: 'xlsx' | 'pdf') => {
    setBusy(format)
    try {
      saveFile(await call('plant.statisticsExport', { from, to, format, ...(gate ? { gateCode: gate } : {}) }))
      setError(null)
    } catch (failure) {
      setError(describeError(failure))
    } finally {
      setBusy(null)
    }
  }
  return (
    <>
      <label>
        {t.plantExports.scope}
        <select value={gate} onChange={(event) => setGate(event.target.value)} data-testid="plant-stats-export-gate">
          <option value="">{t.plantExports.wholePlant}</option>
          {gates.map((code) => (
            <option key={code} value={code}>
              {gateText(code, t)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button" disabled={busy !== null} onClick={() => void exportAs('xlsx')} data-testid="plant-stats-export-xlsx">
        {t.plantExports.exportXlsx}
      </button>
      <button type="button" className="button" disabled={busy !== null} onClick={() => void exportAs('pdf')} data-testid="plant-stats-export-pdf">
        {t.plantExports.exportPdf}
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}
