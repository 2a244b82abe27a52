import type { ControlMeasures, ControlMeasuresView, LocalListEntry } from '@shared/contract'

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
