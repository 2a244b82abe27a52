import { useState } from 'react'
import type { z } from 'zod'
import { describeError, fieldIssues } from '../../api'
import { issuesOf, type Issues } from '../form'

/**
 * A dialog's send cycle: the input is checked against the contract's own schema first, so a bad form shows its
 * inline problems and nothing is sent; main's refusal (it validates again) lands on the same fields.
 */
export function useSubmit<S extends z.ZodType>(schema: S, send: (input: z.output<S>) => Promise<unknown>, done: () => void) {
  const [issues, setIssues] = useState<Issues>({})
  const [error, setError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)

  async function submit(raw: z.input<S>, extraIssues: Issues = {}) {
    const parsed = schema.safeParse(raw)
    const problems = { ...(parsed.success ? {} : issuesOf(parsed.error)), ...extraIssues }
    setIssues(problems)
    setError(null)
    if (!parsed.success || Object.keys(problems).length > 0) return
    setSending(true)
    try {
      await send(parsed.data)
      done()
    } catch (failure) {
      setError(describeError(failure))
      setIssues(fieldIssues(failure))
    } finally {
      setSending(false)
    }
  }
  /** A field was changed: its problem goes at once, the others stay until the next send. */
  function fix(...fields: string[]) {
    setIssues((current) => (fields.some((field) => field in current) ? Object.fromEntries(Object.entries(current).filter(([field]) => !fields.includes(field))) : current))
  }
  return { issues, error, sending, submit, fix }
}
