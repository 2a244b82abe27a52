/**
 * The device kinds a lane can have, per role: the one table the config schema, the registry, demo mode and
 * `npm run commission` read. A new brand is a folder exporting a `defineDeviceKind` entry plus one line here
 * (docs/devices.md, "Adding a device brand"). The first kind of each role is the one demo mode simulates.
 */
import { z } from 'zod'
import { cameraBarrier } from './barrier-camera'
import { modbusRtuBarrier } from './barrier-modbus-rtu'
import { led0x64Display } from './display-led-0x64'
import { onbonBxDisplay } from './display-onbon-bx'
import { vzenithRs485Display } from './display-vzenith-rs485'
import type { DeviceKindEntry, KindConfigSchema } from './kind'
import { xk3190Scale } from './scale-xk3190'
import type { LaneDeviceRole } from './types'

export const deviceKinds = {
  barrier: [modbusRtuBarrier, cameraBarrier],
  display: [led0x64Display, onbonBxDisplay, vzenithRs485Display],
  scale: [xk3190Scale]
} as const satisfies { [R in LaneDeviceRole]: readonly [DeviceKindEntry<R, KindConfigSchema>, ...DeviceKindEntry<R, KindConfigSchema>[]] }

export const LANE_DEVICE_ROLES = Object.keys(deviceKinds) as LaneDeviceRole[]

/** Every kind of the role, as the registry and the commissioning command look them up. */
export function kindsOf<R extends LaneDeviceRole>(role: R): readonly DeviceKindEntry<R>[] {
  return deviceKinds[role] as unknown as readonly DeviceKindEntry<R>[]
}

/** The kind demo mode runs for the role, against its simulator. */
export function demoKindOf<R extends LaneDeviceRole>(role: R): DeviceKindEntry<R> {
  return kindsOf(role)[0]!
}

const none = z.object({ kind: z.literal('none') }).strict()

type Configs<E extends readonly DeviceKindEntry<LaneDeviceRole, KindConfigSchema>[]> = { [I in keyof E]: E[I]['config'] }
type RoleConfigSchema<E extends readonly DeviceKindEntry<LaneDeviceRole, KindConfigSchema>[]> = z.ZodPrefault<z.ZodDiscriminatedUnion<[typeof none, ...Configs<E>], 'kind'>>

/** `lanes[].<role>`: `{ "kind": "none" }` (the default) or one of the role's kinds, told apart by `kind`. */
function roleConfigSchema<E extends readonly DeviceKindEntry<LaneDeviceRole, KindConfigSchema>[]>(entries: E): RoleConfigSchema<E> {
  const options: [typeof none, ...KindConfigSchema[]] = [none, ...entries.map((entry) => entry.config)]
  return z.discriminatedUnion('kind', options).prefault({ kind: 'none' }) as unknown as RoleConfigSchema<E>
}

type LaneDeviceConfigSchemas = { [R in LaneDeviceRole]: RoleConfigSchema<(typeof deviceKinds)[R]> }

/** The lane config's device fields (`barrier`, `display`, `scale`), made from the table. */
export const laneDeviceConfigSchemas = Object.fromEntries(LANE_DEVICE_ROLES.map((role) => [role, roleConfigSchema(deviceKinds[role])])) as LaneDeviceConfigSchemas
