import { laneSettingsSchema, type ControlMeasures, type LocalListEntry, type Role } from '@shared/contract'
import type { EntityLedger } from '../../core/ledgers/fields'
import type { ControlMeasuresStore } from './control-measures'
import type { Db } from './db'
import type { LaneSettingsStore } from './lane-settings'
import { ENTITY_TABLES } from './ledgers'
import type { LocalLists } from './local-lists'

/** One change of the plant's feed as the booth applies it (core/plant-link's changes reply). */
export interface PlantChange {
  revision: number
  entity: string
  key: string
  body: unknown
}

const LEDGER_OF: Record<string, EntityLedger> = { innerVehicle: 'innerVehicles', registration: 'vehicles', machine: 'machines' }
const REPLICATED_BY = '工厂服务器'

/** Which of the plant's lanes are this booth's: the gate codes of its lanes (a plant names a lane `01/in1`). */
export interface ReplicaScope {
  gateCodes: readonly string[]
}

/**
 * The booth's replica of what the plant owns and the lanes read offline: users, white/black lists, control measures,
 * the entity ledgers (in-plant vehicles, registrations, machines) and the settings of this booth's lanes, in the
 * booth's own tables, so the lanes decide exactly as they do standalone. A page of changes and the revision it reaches
 * commit together.
 */
export class PlantReplica {
  constructor(
    private readonly db: Db,
    private readonly tables: { controlMeasures: ControlMeasuresStore; localLists: LocalLists; laneSettings: LaneSettingsStore }
  ) {}

  revision(): number {
    return (this.db.prepare('SELECT revision FROM plant_replica WHERE id = 1').get() as { revision: number } | undefined)?.revision ?? 0
  }

  /** Applies a page in one transaction and records `revision`; returns the entities it does not keep (skipped). */
  apply(changes: readonly PlantChange[], revision: number, now: number, scope: ReplicaScope): { applied: number; skipped: string[] } {
    return this.db.transaction(() => {
      const skipped: string[] = []
      for (const change of changes) if (!this.applyOne(change, now, scope)) skipped.push(change.entity)
      this.db
        .prepare('INSERT INTO plant_replica (id, revision, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, updated_at = excluded.updated_at')
        .run(revision, now)
      return { applied: changes.length - skipped.length, skipped }
    })()
  }

  private applyOne(change: PlantChange, now: number, scope: ReplicaScope): boolean {
    const { entity, key, body } = change
    if (entity === 'laneSettings') return this.applyLaneSettings(key, body, now, scope)
    if (entity === 'user') {
      if (body === null) this.db.prepare('DELETE FROM users WHERE username = ?').run(key)
      else {
        const user = body as { username: string; name: string; role: Role; passwordHash: string }
        this.db
          .prepare(
            `INSERT INTO users (username, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (username) DO UPDATE SET name = excluded.name, role = excluded.role, password_hash = excluded.password_hash`
          )
          .run(user.username, user.name, user.role, user.passwordHash, now)
      }
      return true
    }
    if (entity === 'list') {
      const [kind, plate] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)] as [LocalListEntry['kind'], string]
      if (body === null) this.tables.localLists.remove(kind, plate)
      else {
        const entry = body as LocalListEntry
        this.tables.localLists.add(kind, plate, entry.note, entry.createdBy, now, entry.expiresAt ? Date.parse(entry.expiresAt) : null)
      }
      return true
    }
    if (entity === 'controlMeasures') {
      if (body === null) this.db.prepare('DELETE FROM control_measures').run()
      else this.tables.controlMeasures.set(body as ControlMeasures, (body as { updatedBy?: string }).updatedBy ?? REPLICATED_BY, now)
      return true
    }
    const ledger = LEDGER_OF[entity]
    if (!ledger) return false
    const table = ENTITY_TABLES[ledger]
    const keyColumns = table.key.map((field) => table.columns[field]!)
    if (body === null) {
      this.db.prepare(`DELETE FROM ${table.table} WHERE ${keyColumns.map((column) => `${column} = ?`).join(' AND ')}`).run(...key.split('/'))
      return true
    }
    const fields = Object.entries(body as Record<string, string>).filter(([field]) => table.columns[field] !== undefined)
    const columns = fields.map(([field]) => table.columns[field]!)
    this.db
      .prepare(
        `INSERT INTO ${table.table} (${[...columns, 'created_at', 'updated_at', 'updated_by'].join(', ')})
         VALUES (${[...columns, 'c', 'u', 'b'].map(() => '?').join(', ')})
         ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${[...columns.map((column) => `${column} = excluded.${column}`), 'updated_at = excluded.updated_at', 'updated_by = excluded.updated_by'].join(', ')}`
      )
      .run(...fields.map(([, value]) => String(value)), now, now, REPLICATED_BY)
    return true
  }

  /** Another gate's lane is not this booth's (applied: nothing to keep); a body this booth cannot read is not kept. */
  private applyLaneSettings(key: string, body: unknown, now: number, scope: ReplicaScope): boolean {
    const [gateCode, laneId] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)]
    if (!scope.gateCodes.includes(gateCode)) return true
    if (body === null) {
      this.tables.laneSettings.reset(laneId)
      return true
    }
    const settings = laneSettingsSchema.safeParse({ ...(body as object), laneId })
    if (!settings.success) return false
    const by = (body as { updatedBy?: unknown }).updatedBy
    this.tables.laneSettings.set(settings.data, typeof by === 'string' ? by : REPLICATED_BY, now)
    return true
  }
}
