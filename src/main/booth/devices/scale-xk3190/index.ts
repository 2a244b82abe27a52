import { z } from 'zod'
import { scaleActions } from '../commission-actions'
import { defineDeviceKind } from '../kind'
import { serialLineFields } from '../serial/serial-device'
import { Xk3190Scale } from './xk3190-scale'

/** A weighbridge indicator in XK3190-A9 continuous mode (docs/devices.md, "Weighbridge"): `"scale": { "kind": "xk3190", … }`. */
export const xk3190Scale = defineDeviceKind({
  role: 'scale',
  kind: 'xk3190',
  config: z
    .object({
      kind: z.literal('xk3190'),
      ...serialLineFields,
      stableToleranceKg: z.number().min(0).max(1_000).default(20),
      settleMs: z.number().int().min(100).max(60_000).default(3_000),
      staleMs: z.number().int().min(100).max(60_000).default(2_000)
    })
    .strict(),
  create: ({ id, laneId }, { path, baudRate, reconnectMs, stableToleranceKg, settleMs, staleMs }) =>
    new Xk3190Scale({ id, laneId, path, baudRate, reconnectMs, stableToleranceKg, settleMs, staleMs }),
  commission: {
    options: {},
    config: ({ path, baudRate }) => ({ path, baudRate, reconnectMs: 500 }),
    actions: scaleActions
  },
  simulator: { name: 'scale', demoArgs: ['--noise-kg', '10'], config: (serialUrl) => ({ path: serialUrl }) }
})
