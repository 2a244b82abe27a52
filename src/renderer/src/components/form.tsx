import type { ReactNode } from 'react'
import type { z } from 'zod'

export type Issues = Record<string, string>

/** Field problems of a failed zod parse, by top-level field name (first one wins). */
export function issuesOf(error: z.ZodError): Issues {
  const issues: Issues = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? '')
    issues[field] ??= issue.message
  }
  return issues
}

/** A labelled control with its inline problem, tied together for screen readers. */
export function FormField({ id, label, issue, children }: { id: string; label: string; issue: string | undefined; children: ReactNode }) {
  return (
    <div className={issue ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {issue && (
        <span className="field__issue" id={`${id}-issue`} role="alert" data-testid={`issue-${id}`}>
          {issue}
        </span>
      )}
    </div>
  )
}

/** aria props of a control with a possible issue. */
export function describedBy(id: string, issue: string | undefined) {
  return { id, 'aria-invalid': Boolean(issue), 'aria-describedby': issue ? `${id}-issue` : undefined }
}
