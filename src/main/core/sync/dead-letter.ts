import type { FieldProblem } from './queue'

/** Checks a payload before it is sent (the platform's format rules); an empty list means it may go. */
export type Validate = (kind: string, payload: Record<string, string>) => FieldProblem[]

/**
 * The field problems named in a platform refusal. A 952 reply lists them as `value.<field>: <message>` (or
 * `file: <message>`) separated by `; `; anything else becomes one problem without a field.
 */
export function fieldsFromReason(reason: string): FieldProblem[] {
  const detail = reason.includes(': ') ? reason.slice(reason.indexOf(': ') + 2) : reason
  const problems: FieldProblem[] = []
  for (const part of detail.split('; ')) {
    const match = /^(?:value\.)?([A-Za-z][A-Za-z0-9_]*)\s*:\s*(.+)$/.exec(part.trim())
    if (match) problems.push({ field: match[1] === 'file' ? '' : match[1]!, message: match[2]! })
  }
  return problems.length > 0 ? problems : [{ field: '', message: reason }]
}

/** Which changes an admin may make to a dead letter's payload: only fields the recorded payload already has. */
export function unknownFields(payload: Record<string, string>, changes: Record<string, string>): FieldProblem[] {
  return Object.keys(changes)
    .filter((field) => !Object.prototype.hasOwnProperty.call(payload, field))
    .map((field) => ({ field, message: '该字段不属于此条上传数据' }))
}
