/**
 * One device kind (a brand or protocol of a role: the Modbus RTU barrier, the 0x64 LED display …) as one entry of the
 * table in kinds.ts. Everything the booth needs to know of a kind is here, so a new brand is its folder plus one line
 * in the table: the config registry, the config schema, demo mode and `npm run commission` all read the entry.
 */
import type { ParseArgsConfig } from 'node:util'
import type { z } from 'zod'
import type { DeviceIdentity, LaneDeviceRole, LaneDevices } from './types'

/** The adapter a role's kinds build: `Barrier` for barriers, and so on. */
/** A `parseArgs` option, e.g. `{ type: 'string', default: '1' }`. */
export type CommandOption = NonNullable<ParseArgsConfig['options']>[string]

export type RoleDevice<R extends LaneDeviceRole> = NonNullable<LaneDevices[R]>

/** A config object of the lane's `barrier|display|scale`, told apart by `kind`. */
export type KindConfigSchema = z.ZodObject<{ kind: z.ZodLiteral<string> } & z.ZodRawShape>

/** The command line of `npm run commission`, as a kind needs it to build its config. */
export interface CommissionLine {
  /** The first argument: a serial port or tcp://host:port (a URL for devices on the network). */
  path: string
  baudRate: number
  timeoutMs: number
  /** Every option given (or defaulted), by name. */
  values: Record<string, string | boolean | undefined>
}

export interface CommissionContext {
  /** The text after the action (`show "…"`), if any. */
  text: string | undefined
  values: CommissionLine['values']
  watchMs: number
  /** Resolves once the line has had a moment to open. */
  opened: Promise<void>
  print(line: string): void
  /** Ends the command with the message and exit code 1. */
  fail(message: string): never
}

/** One thing an installer can do to a device of the role from the command line, through its interface. */
export interface CommissionAction<D> {
  name: string
  /** The action as the usage line shows it, e.g. `show "text" [--colour red|green|yellow]`. */
  usage: string
  options?: Record<string, CommandOption>
  run(device: D, context: CommissionContext): Promise<void>
}

export interface DeviceKindEntry<R extends LaneDeviceRole = LaneDeviceRole, S extends KindConfigSchema = KindConfigSchema> {
  role: R
  /** `lanes[].<role>.kind` in the config. */
  kind: z.output<S>['kind']
  /** The lane config's object for this kind (strict, defaults filled in); the config schema's union is made of these. */
  config: S
  /** The adapter for one configured device. */
  create(identity: DeviceIdentity, config: z.output<S>): RoleDevice<R>
  commission: {
    /** This kind's own command-line options (`--unit` …), with their defaults. */
    options: Record<string, CommandOption>
    /** The config object to validate with `config` and build the device from; `kind` is filled in. */
    config(line: CommissionLine): Record<string, unknown>
    actions: readonly CommissionAction<RoleDevice<R>>[]
  }
  /**
   * The simulator that speaks this kind's wire protocol from its own process (src/sim/<name>, built to
   * out/main/sim-<name>.js): demo mode runs it with `demoArgs` on a TCP port and points the lane at it with
   * `config(serialUrl)` (`kind` is filled in); the tests and commissioning on a bench drive it too.
   */
  simulator: { name: string; demoArgs: readonly string[]; config(serialUrl: string): Record<string, unknown> }
}

/** Types an entry from its config schema, so `create` gets the kind's parsed config. */
export function defineDeviceKind<R extends LaneDeviceRole, S extends KindConfigSchema>(entry: DeviceKindEntry<R, S>): DeviceKindEntry<R, S> {
  return entry
}
