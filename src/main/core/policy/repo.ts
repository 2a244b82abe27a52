import type { ControlMeasures, ControlMeasuresView, LocalListEntry } from '@shared/contract'
import { isoOf, isoOrNull } from '../time'

/** Who made an admin change, as the audit of manual actions records it. */
export interface PolicyActor {
  actorId: string | null
  actorName: string
}

/**
 * The storage of what the policy decides with: the control measures in force and the plant's own white/black
 * lists. The booth implements it on SQLite (booth/store/policy-repo.ts); the plant will implement it on PostgreSQL.
 * Each change is one transaction with its row in the audit of manual actions.
 */
export interface PolicyRepo {
  controlMeasures(): Promise<ControlMeasuresView>
  setControlMeasures(measures: ControlMeasures, by: PolicyActor, now: number): Promise<ControlMeasuresView>
  /** By plate, of one kind or of both. */
  list(kind?: LocalListEntry['kind']): Promise<LocalListEntry[]>
  /** Adds the plate (or replaces its note and validity); `expiresAt` (epoch ms) null: permanent. */
  addToList(kind: LocalListEntry['kind'], plate: string, note: string, by: PolicyActor, now: number, expiresAt: number | null): Promise<LocalListEntry>
  /** False when the plate was not on the list. */
  removeFromList(kind: LocalListEntry['kind'], plate: string, by: PolicyActor, now: number): Promise<boolean>
}

/** The control_measures row as both stores keep it (SQLite and PostgreSQL). */
export interface ControlMeasuresRow {
  level: ControlMeasures['level']
  area: ControlMeasures['area']
  strategy: ControlMeasures['strategy']
  enterprise_type: ControlMeasures['enterpriseType']
  measures: ControlMeasures['measures']
  note: string
  starts_at: number | null
  ends_at: number | null
  updated_at: number
  updated_by: string
}

const NO_CONTROL: ControlMeasures = { level: null, area: null, strategy: null, enterpriseType: null, measures: null, note: '', startsAt: null, endsAt: null }

/** The measures in force; none set: no control. */
export function controlMeasuresView(row: ControlMeasuresRow | undefined): ControlMeasuresView {
  if (!row) return { ...NO_CONTROL, updatedAt: null, updatedBy: null }
  return {
    level: row.level,
    area: row.area,
    strategy: row.strategy,
    enterpriseType: row.enterprise_type,
    measures: row.measures,
    note: row.note,
    startsAt: isoOrNull(row.starts_at),
    endsAt: isoOrNull(row.ends_at),
    updatedAt: isoOf(row.updated_at),
    updatedBy: row.updated_by
  }
}

/** A local_lists row as both stores keep it. */
export interface LocalListRow {
  kind: LocalListEntry['kind']
  plate: string
  note: string
  created_at: number
  created_by: string
  expires_at: number | null
}

export function localListEntry(row: LocalListRow): LocalListEntry {
  return { kind: row.kind, plate: row.plate, note: row.note, createdAt: isoOf(row.created_at), createdBy: row.created_by, expiresAt: isoOrNull(row.expires_at) }
}
