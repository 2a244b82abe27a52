import { useEffect, useState } from 'react'
import type { AuditEntry } from '@shared/contract'
import { describeError } from '../../api'
import { formatRecent } from '../../format'
import { useT } from '../../i18n'
import { useGate, useSession } from '../../state/hooks'

const AUDIT_ROWS = 100

/** The latest audit entries (who did what), loaded when shown and after every dialog closes. */
export function AuditPanel() {
  const t = useT()
  const { call } = useSession()
  const dialogOpen = useGate((state) => state.dialog !== null)
  const passageEvents = useGate((state) => state.passageEvents)
  const [entries, setEntries] = useState<AuditEntry[]>([])
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (dialogOpen) return
    let cancelled = false
    call('audit.list', { limit: AUDIT_ROWS })
      .then((loaded) => !cancelled && (setEntries(loaded), setError(null)))
      .catch((failure: unknown) => !cancelled && setError(describeError(failure)))
    return () => {
      cancelled = true
    }
  }, [call, dialogOpen, passageEvents])

  return (
    <section className="audit" aria-label={t.audit.title} data-testid="audit-panel">
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {entries.length === 0 && !error && <p className="journal__empty">{t.audit.empty}</p>}
      <table>
        <thead>
          <tr>
            <th>{t.audit.at}</th>
            <th>{t.audit.actor}</th>
            <th>{t.audit.action}</th>
            <th>{t.audit.subject}</th>
            <th>{t.audit.detail}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-row" data-action={entry.action} data-actor={entry.actor?.userId ?? ''}>
              <td>
                <time dateTime={entry.at}>{formatRecent(entry.at)}</time>
              </td>
              <td>{entry.actor ? `${entry.actor.name}（${entry.actor.userId}）` : '—'}</td>
              <td>{entry.action}</td>
              <td>{entry.subject ?? ''}</td>
              <td className="audit__detail">{JSON.stringify(entry.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
