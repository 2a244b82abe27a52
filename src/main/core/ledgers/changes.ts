/** One field's change as the history keeps it: `from` is null for a new row. */
export type FieldChanges = Record<string, { from: string | null; to: string }>

/** The fields that differ between `before` (null: a new row, whose empty fields are no change) and `after`. */
export function diff(before: Record<string, string> | null, after: Record<string, string>): FieldChanges {
  const changes: FieldChanges = {}
  for (const [field, to] of Object.entries(after)) {
    const from = before ? (before[field] ?? '') : null
    if (from !== to && !(from === null && to === '')) changes[field] = { from, to }
  }
  return changes
}

/** An entity row's change: its fields, and each newly picked image (the history says uploaded or replaced, not the bytes). */
export function entityChanges(
  before: { fields: Record<string, string>; images: Record<string, number | null> } | null,
  fields: Record<string, string>,
  newImages: readonly string[]
): FieldChanges {
  const changes = diff(before?.fields ?? null, fields)
  for (const field of newImages) {
    changes[field] = { from: before?.images[field] ? '已上传' : null, to: before?.images[field] ? '已更换' : '已上传' }
  }
  return changes
}
