import { useEffect, useState } from 'react'
import type { AuditEntry, Lane } from '@shared/contract'
import { describeError } from '../../api'
import { formatRecent } from '../../format'
import { useT } from '../../i18n'
import { useGate, useSession } from '../../state/hooks'
import { auditLine } from './sentences'

const AUDIT_ROWS = 100
const NO_LANES: Lane[] = []

/** The latest audit entries (who did what), loaded when shown and after every dialog closes. */
export function AuditPanel() {
  const t = useT()
  const { call } = useSession()
  const dialogOpen = useGate((state) => state.dialog !== null)
  const passageEvents = useGate((state) => state.passageEvents)
  const lanes = useGate((state) => state.info?.lanes ?? NO_LANES)
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
          {entries.map((entry) => {
            const line = auditLine(entry, lanes)
            return (
              <tr key={entry.id} data-testid="audit-row" data-action={entry.action} data-actor={entry.actor?.userId ?? ''}>
                <td>
                  <time dateTime={entry.at}>{formatRecent(entry.at)}</time>
                </td>
                <td>{entry.actor ? `${entry.actor.name}（${t.role[entry.actor.role]}）` : '—'}</td>
                <td>{line.action}</td>
                <td>{line.subject}</td>
                <td className="audit__detail">{line.detail}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}
