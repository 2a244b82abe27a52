import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configSchema, demoConfig } from '../../src/main/core/config'
import { deviceKinds, demoKindOf, kindsOf, LANE_DEVICE_ROLES } from '../../src/main/booth/devices'
import { repoRoot } from '../integration/support'

// A converter's address: every kind takes it (serial kinds as an RS485-to-Ethernet converter, camera kinds as the camera).
const line = { path: 'tcp://192.168.1.50:4001', baudRate: 9600, timeoutMs: 1000 }

describe('the device table', () => {
  it('has one list per lane device role, each kind under its own role and named once', () => {
    expect(LANE_DEVICE_ROLES).toEqual(['barrier', 'display', 'scale'])
    for (const role of LANE_DEVICE_ROLES) {
      const kinds = kindsOf(role)
      expect(kinds.length).toBeGreaterThan(0)
      expect(kinds.every((kind) => kind.role === role)).toBe(true)
      expect(new Set(kinds.map((kind) => kind.kind)).size).toBe(kinds.length)
      expect(kinds.map((kind) => kind.kind)).not.toContain('none')
    }
  })

  it('makes the config schema: a lane device is none or one of its role\'s kinds, whose own schema fills the defaults', () => {
    const lane = configSchema.shape.lanes.element
    for (const role of LANE_DEVICE_ROLES) {
      const field = lane.shape[role]
      expect(field.parse(undefined)).toEqual({ kind: 'none' })
      for (const kind of kindsOf(role)) {
        const raw = { kind: kind.kind, ...kind.simulator.config('tcp://127.0.0.1:4001') }
        expect(field.parse(raw)).toEqual(kind.config.parse(raw))
      }
      expect(field.safeParse({ kind: 'no-such-brand' }).success).toBe(false)
    }
  })

  it('gives every kind commissioning actions that build a valid config, and names the actions once per role', () => {
    for (const role of LANE_DEVICE_ROLES) {
      for (const kind of kindsOf(role)) {
        expect(kind.commission.actions.length).toBeGreaterThan(0)
        const defaults = Object.fromEntries(Object.entries(kind.commission.options).map(([name, option]) => [name, option.default as string | undefined]))
        // A device on the network (a camera) is commissioned by its address, a serial one by its port.
        const path = 'url' in kind.config.shape ? 'http://192.168.1.64' : line.path
        const parsed = kind.config.safeParse({ kind: kind.kind, ...kind.commission.config({ ...line, path, values: defaults }) })
        expect(parsed.success, `${role} ${kind.kind}: ${parsed.error?.message}`).toBe(true)
        const names = kind.commission.actions.map((action) => action.name)
        expect(new Set(names).size).toBe(names.length)
      }
    }
  })

  it('names a simulator for every kind that is built as its own entry', () => {
    const viteConfig = readFileSync(join(repoRoot, 'electron.vite.config.ts'), 'utf8')
    for (const role of LANE_DEVICE_ROLES) {
      for (const { simulator } of kindsOf(role)) {
        expect(existsSync(join(repoRoot, `src/sim/${simulator.name}/main.ts`))).toBe(true)
        expect(viteConfig).toContain(`'sim-${simulator.name}': resolve(__dirname, 'src/sim/${simulator.name}/main.ts')`)
      }
    }
  })

  it('demo mode points each role at its first kind\'s simulator', () => {
    const devices = { barrier: 'tcp://127.0.0.1:1', display: 'tcp://127.0.0.1:2', scale: 'tcp://127.0.0.1:3' }
    const config = demoConfig({ dataDir: '/tmp/demo', platformBaseUrl: 'http://127.0.0.1:1/ysgk', devices: { in1: devices, out1: devices } })
    for (const role of LANE_DEVICE_ROLES) {
      expect(demoKindOf(role)).toBe(deviceKinds[role][0])
      expect(config.lanes[0]![role]).toMatchObject({ kind: demoKindOf(role).kind, path: devices[role] })
    }
  })
})
