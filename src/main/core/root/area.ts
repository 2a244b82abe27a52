import type { CommandName, CommandSpec } from '@shared/contract'
import type { EventBus } from '../api/events'
import type { Handlers } from '../api/router'
import type { GateConfig } from '../config'
import type { Log } from '../log'
import type { Clock } from '../time'

/**
 * What areas provide each other, by key. Each area adds the keys it provides from its own area.ts
 * (`declare module '…/core/root/area' { interface Provided { lanes: LaneDriver } }`), so an area that needs `store`
 * gets the store's type without importing the area that makes it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Provided {}

export type ProvidedKey = keyof Provided

/**
 * What every area gets without asking for it. `Config` is the role's config file: a booth's (GateConfig, the
 * default) or the plant's (plant.json). An area that reads no config declares `RootContext<unknown>` and runs in
 * every role; one that reads a booth's config runs only in the booth roles (the compiler checks it at `use`).
 */
export interface RootContext<Config = GateConfig> {
  config: Config
  log: Log
  /** Every contract event goes out here (to the transports) and areas may listen to each other's (`events.on`). */
  events: EventBus
  /** This machine's clock, uncorrected: only the platform client reads it (everything else needs `clock`). */
  systemClock: Clock
  version: string
  demo: boolean
}

/** An area once made: what it provides, the handlers of its commands, and its own start and stop. */
export interface AreaParts<P extends ProvidedKey, C extends CommandName> {
  provides: Pick<Provided, P>
  handlers: Handlers<C>
  /** Begins the area's own work (loops, timers, connections) once every area of the role is made. */
  start?(): void | Promise<void>
  /** Ends it; areas are stopped in the reverse of their order, also when the role failed to start. */
  stop?(): void | Promise<void>
}

/**
 * One self-contained capability (lanes, sync, ledgers …): the commands it serves (its own contract file), what it
 * needs from the areas before it and what it provides to those after it, by key.
 */
export interface Area<N extends ProvidedKey, P extends ProvidedKey, C extends CommandName, Config = GateConfig> {
  readonly name: string
  readonly needs: readonly N[]
  readonly provides: readonly P[]
  readonly commands: { readonly [K in C]: CommandSpec }
  readonly create: (needs: Pick<Provided, N>, root: RootContext<Config>) => AreaParts<P, C> | Promise<AreaParts<P, C>>
}

/** Declares an area; the types of `needs`, `provides` and the handlers follow from the keys and commands it names. */
export function defineArea<N extends ProvidedKey = never, P extends ProvidedKey = never, C extends CommandName = never, Config = GateConfig>(
  area: Area<N, P, C, Config>
): Area<N, P, C, Config> {
  return area
}
