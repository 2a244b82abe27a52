import type { ErrorCode } from '@shared/contract'
import type { z } from 'zod'

/** A problem with one field of an input, shown beside that field: its path (a spec field name for ledgers) and why. */
export interface FieldIssue {
  path: string
  message: string
}

/**
 * A failure meant for the caller: its code and Chinese message reach the screen as they are, with the field issues
 * of a form when the problem is theirs. Every area's own refusals extend it (UnknownLaneError, LedgerRefusal, …); the
 * router answers any other error as `internal`.
 */
export class ApiFailure extends Error {
  override name = 'ApiFailure'
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: FieldIssue[]
  ) {
    super(message)
  }
}

/** A zod refusal as field issues, each path joined with dots ('' when the problem is the whole input). */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
}

/** Field issues as one line, each as `path: message`. */
export function issuesText(issues: FieldIssue[], separator = '；'): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join(separator)
}
