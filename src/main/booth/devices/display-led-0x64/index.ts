import { z } from 'zod'
import { displayActions } from '../commission-actions'
import { defineDeviceKind } from '../kind'
import { serialLineFields } from '../serial/serial-device'
import { LedDisplay } from './led-display'

/** A lane LED display speaking the "0x64" protocol (docs/devices.md, "LED display"): `"display": { "kind": "led", … }`. */
export const led0x64Display = defineDeviceKind({
  role: 'display',
  kind: 'led',
  config: z
    .object({
      kind: z.literal('led'),
      /** The protocol of a `led` display; 0x64 is the one so far (other brands are kinds of their own). */
      protocol: z.enum(['0x64']).default('0x64'),
      ...serialLineFields,
      /** DA: the display's address on the RS485 bus. */
      address: z.number().int().min(0).max(255).default(0),
      timeoutMs: z.number().int().min(20).max(10_000).default(500),
      /** Sent with the 0x00 health probe; only displays with encryption check it. */
      password: z.string().regex(/^[\x21-\x7e]{6,32}$/, 'display password: 6–32 printable ASCII characters').default('000000'),
      /** How often an idle display is probed (0x00) so its health stays true. */
      probeMs: z.number().int().min(500).max(600_000).default(10_000),
      /** Text lines the display has; lines a message does not use are blanked. */
      lines: z.number().int().min(1).max(4).default(4)
    })
    .strict(),
  create: ({ id, laneId }, { path, baudRate, address, timeoutMs, reconnectMs, password, probeMs, lines }) =>
    new LedDisplay({ id, laneId, path, baudRate, address, timeoutMs, reconnectMs, password, probeMs, lines }),
  commission: {
    options: { address: { type: 'string', default: '0' } },
    config: ({ path, baudRate, timeoutMs, values }) => ({ path, baudRate, reconnectMs: 500, address: Number(values.address), timeoutMs }),
    actions: displayActions
  },
  simulator: { name: 'led', demoArgs: [], config: (serialUrl) => ({ path: serialUrl }) }
})
