import type { CommandName } from '@shared/contract'
import { EventBus } from '../api/events'
import { createRouter, type Handlers, type Router } from '../api/router'
import type { GateConfig } from '../config'
import type { Log } from '../log'
import type { Clock } from '../time'
import type { Area, AreaParts, Provided, ProvidedKey, RootContext } from './area'

export interface RootOptions<Config = GateConfig> {
  /** The role's config file: a booth's, or the plant's (areas that read none run in either). */
  config: Config
  log: Log
  version: string
  demo: boolean
  /** This machine's clock (default Date.now); tests inject one. */
  systemClock?: Clock
}

/** A role running: what its areas provide, its router (only its areas' commands) and its event bus. */
export type Root<Have extends ProvidedKey> = Pick<Provided, Have> & {
  router: Router
  events: EventBus
  /** Stops every area, in the reverse of the order they started. */
  close(): Promise<void>
}

/** A role whose areas do not fit together: a need nobody before provides, a key or command twice, a missing handler. */
export class RootError extends Error {
  override name = 'RootError'
}

// The builder keeps areas of every shape in one list; their own types were checked by `use`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyArea = Area<any, any, any, any>

/**
 * Assembles a role from areas: `createRoot(options).use(storeArea()).use(platformArea(…))…start()`. An area may only
 * need what an area before it provides (checked by the compiler and again before anything starts), areas are made and
 * started in order and stopped in reverse, and the router serves exactly the commands of the role's areas.
 */
export function createRoot<Config = GateConfig>(options: RootOptions<Config>): RootBuilder<never, Config> {
  return new RootBuilder<never, Config>(options, [])
}

export class RootBuilder<Have extends ProvidedKey, Config = GateConfig> {
  constructor(
    private readonly options: RootOptions<Config>,
    private readonly areas: readonly AnyArea[]
  ) {}

  use<N extends Have, P extends Exclude<ProvidedKey, Have>, C extends CommandName>(area: Area<N, P, C, Config>): RootBuilder<Have | P, Config> {
    return new RootBuilder<Have | P, Config>(this.options, [...this.areas, area])
  }

  async start(): Promise<Root<Have>> {
    checkPlan(this.areas)
    const { config, log, version, demo } = this.options
    const events = new EventBus()
    const context: RootContext<Config> = { config, log, events, version, demo, systemClock: this.options.systemClock ?? Date.now }
    const provided: Record<string, unknown> = {}
    const handlers: Record<string, unknown> = {}
    const made: { area: AnyArea; parts: AreaParts<ProvidedKey, CommandName> }[] = []
    const stopAll = () => stopInReverse(made, log)
    try {
      for (const area of this.areas) {
        const needs = Object.fromEntries(area.needs.map((key: string) => [key, provided[key]]))
        const parts = (await area.create(needs, context)) as AreaParts<ProvidedKey, CommandName>
        made.push({ area, parts })
        checkParts(area, parts)
        Object.assign(provided, parts.provides)
        Object.assign(handlers, parts.handlers)
      }
      for (const { parts } of made) await parts.start?.()
    } catch (error) {
      await stopAll()
      throw error
    }
    const audit = (provided as Partial<Provided>).audit
    const router = createRouter(handlers as Partial<Handlers>, log, audit ? (entry) => audit.append(entry) : undefined)
    let closing: Promise<void> | null = null
    return { ...(provided as Pick<Provided, Have>), router, events, close: () => (closing ??= stopAll()) }
  }
}

/** Every need met by an earlier area, every key provided once, every command served by one area: before anything starts. */
function checkPlan(areas: readonly AnyArea[]): void {
  const providedBy = new Map<string, string>()
  const servedBy = new Map<string, string>()
  for (const area of areas) {
    for (const key of area.needs as string[]) {
      if (!providedBy.has(key)) throw new RootError(`area "${area.name}" needs "${key}", which no area before it provides`)
    }
    for (const key of area.provides as string[]) {
      const other = providedBy.get(key)
      if (other) throw new RootError(`"${key}" is provided by both area "${other}" and area "${area.name}"`)
      providedBy.set(key, area.name)
    }
    for (const command of Object.keys(area.commands)) {
      const other = servedBy.get(command)
      if (other) throw new RootError(`command "${command}" is served by both area "${other}" and area "${area.name}"`)
      servedBy.set(command, area.name)
    }
  }
}

/** An area made what it declared: exactly its provided keys and one handler per command of its own, no other. */
function checkParts(area: AnyArea, parts: AreaParts<ProvidedKey, CommandName>): void {
  const declared = new Set(area.provides as string[])
  for (const key of declared) if (!(key in parts.provides)) throw new RootError(`area "${area.name}" declares "${key}" but did not provide it`)
  for (const key of Object.keys(parts.provides)) if (!declared.has(key)) throw new RootError(`area "${area.name}" provides "${key}", which it does not declare`)
  for (const command of Object.keys(area.commands)) {
    if (typeof (parts.handlers as Record<string, unknown>)[command] !== 'function') throw new RootError(`area "${area.name}" has no handler for its command "${command}"`)
  }
  for (const command of Object.keys(parts.handlers)) {
    if (!(command in area.commands)) throw new RootError(`area "${area.name}" has a handler for "${command}", which is not one of its commands`)
  }
}

/** Stops the areas made so far, last first; one failing to stop does not keep the others running. */
async function stopInReverse(made: { area: AnyArea; parts: AreaParts<ProvidedKey, CommandName> }[], log: Log): Promise<void> {
  for (const { area, parts } of [...made].reverse()) {
    try {
      await parts.stop?.()
    } catch (error) {
      log(`area ${area.name} did not stop cleanly: ${(error as Error).stack ?? String(error)}`)
    }
  }
}
