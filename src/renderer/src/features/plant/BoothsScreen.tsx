import { useCallback, useState } from 'react'
import { describeError } from '../../api'
import { formatDateTime } from '../../format'
import { fill, useT } from '../../i18n'
import { useSession } from '../../state/hooks'
import { gateText, PlantScreen, PlantTable, useLoaded } from './shared'

/**
 * 岗亭管理 (admins): the certificate fingerprint a booth checks at enrolment, a one-time enrolment code per gate (shown
 * once), and each enrolled booth with its revocation. A booth is named by its gate and enrolment time, not its id.
 */
export default function BoothsScreen() {
  const t = useT()
  const { call } = useSession()
  const load = useCallback(() => call('plant.booths', {}), [call])
  const { value, error, reload } = useLoaded(load, { booths: [], fingerprint: '' })
  const [gate, setGate] = useState('01')
  const [made, setMade] = useState<{ code: string; gateCode: string } | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const act = async (work: () => Promise<void>) => {
    try {
      await work()
      setFailure(null)
    } catch (problem) {
      setFailure(describeError(problem))
    }
  }
  return (
    <PlantScreen label={t.plant.boothsTitle} testId="plant-booths" error={error ?? failure}>
      <p>
        {/* The fingerprint and the code are what the admin types at the booth's enrolment: keyboard input (kbd). */}
        {t.plant.fingerprint}：<kbd className="plant-fingerprint" data-testid="plant-fingerprint">{value.fingerprint}</kbd>
      </p>
      <form
        className="plant-filters"
        onSubmit={(event) => {
          event.preventDefault()
          void act(async () => setMade(await call('plant.enrolmentCode', { gateCode: gate })))
        }}
      >
        <label>
          {t.plant.codeFor}
          <input value={gate} maxLength={2} onChange={(event) => setGate(event.target.value)} data-testid="plant-code-gate" />
        </label>
        <button type="submit" className="button" data-testid="plant-code-make">
          {t.plant.newCode}
        </button>
      </form>
      {made && (
        <p data-testid="plant-code">
          {fill(t.plant.codeMade, { gate: made.gateCode })} <kbd className="plant-code">{made.code}</kbd>
        </p>
      )}
      {value.booths.length === 0 && !error && <p className="journal__empty">{t.plant.noBooths}</p>}
      <PlantTable headings={[t.plant.gate, t.plant.enrolledAt, t.plant.lastSeenAt, t.plant.state, '']}>
        {value.booths.map((booth) => (
          <tr key={booth.id} data-testid="plant-booth" data-gate={booth.gateCode} data-state={booth.revokedAt ? 'revoked' : 'active'}>
            <td>{gateText(booth.gateCode, t)}</td>
            <td>{formatDateTime(booth.enrolledAt)}</td>
            <td>{booth.lastSeenAt ? formatDateTime(booth.lastSeenAt) : t.plant.never}</td>
            <td>{booth.revokedAt ? t.plant.revoked : t.plant.active}</td>
            <td>
              {!booth.revokedAt && (
                <button type="button" className="button" data-testid="plant-booth-revoke" onClick={() => void act(async () => (await call('plant.revokeBooth', { boothId: booth.id }), reload()))}>
                  {t.plant.revoke}
                </button>
              )}
            </td>
          </tr>
        ))}
      </PlantTable>
    </PlantScreen>
  )
}
