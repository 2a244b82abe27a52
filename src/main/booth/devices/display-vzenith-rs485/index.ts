import { z } from 'zod'
import { displayActions } from '../commission-actions'
import { defineDeviceKind } from '../kind'
import { VzenithRs485Display } from './vzenith-display'

/**
 * An LED/voice module (0x64 protocol) on a Vzenith camera's RS-485 port, reached through the camera's serial
 * pass-through over its TCP command channel (docs/devices.md, "Vzenith RS-485 pass-through"):
 * `"display": { "kind": "vzenith-rs485", "path": "tcp://192.168.1.100:8131", … }`.
 */
export const vzenithRs485Display = defineDeviceKind({
  role: 'display',
  kind: 'vzenith-rs485',
  config: z
    .object({
      kind: z.literal('vzenith-rs485'),
      /** The camera's command channel: tcp://<camera address>:8131. */
      path: z.string().regex(/^tcp:\/\/[^:/]+:\d{1,5}\/?$/, 'the camera as tcp://<address>:8131'),
      reconnectMs: z.number().int().min(100).max(60_000).default(2_000),
      /** The camera's RS-485 port the module is wired to. */
      port: z.enum(['rs485-1', 'rs485-2']).default('rs485-1'),
      /** DA of the module on that bus. */
      address: z.number().int().min(0).max(255).default(0),
      lines: z.number().int().min(1).max(4).default(4),
      timeoutMs: z.number().int().min(20).max(10_000).default(1_000),
      probeMs: z.number().int().min(500).max(600_000).default(10_000)
    })
    .strict(),
  create: ({ id, laneId }, { path, reconnectMs, port, address, lines, timeoutMs, probeMs }) =>
    new VzenithRs485Display({ id, laneId, path, reconnectMs, port, address, lines, timeoutMs, probeMs }),
  commission: {
    options: { 'rs485-port': { type: 'string', default: 'rs485-1' } },
    config: ({ path, timeoutMs, values }) => ({ path, reconnectMs: 500, port: values['rs485-port'], address: Number(values.address ?? 0), timeoutMs }),
    actions: displayActions
  },
  simulator: { name: 'vzenith-rs485', demoArgs: [], config: (serialUrl) => ({ path: serialUrl }) }
})
