import { z } from 'zod'
import { displayActions } from '../commission-actions'
import { defineDeviceKind } from '../kind'
import { serialLineFields } from '../serial/serial-device'
import { OnbonBxDisplay } from './onbon-display'

/** A lane display on an Onbon (仰邦) BX-5/BX-6 controller (docs/devices.md, "Onbon BX display"): `"display": { "kind": "onbon-bx", … }`. */
export const onbonBxDisplay = defineDeviceKind({
  role: 'display',
  kind: 'onbon-bx',
  config: z
    .object({
      kind: z.literal('onbon-bx'),
      ...serialLineFields,
      /** BX-5/6 controllers leave the factory at 57600 baud on their serial port. */
      baudRate: serialLineFields.baudRate.unwrap().default(57600),
      /** The controller's screen address (屏号), 1 unless changed in Onbon's tool. */
      screen: z.number().int().min(1).max(0xfffe).default(1),
      /** BX-5 cards (5E, 5M, 5U …) or BX-6 cards (6E, 6M …): they read an area's X and width differently. */
      series: z.enum(['bx5', 'bx6']).default('bx5'),
      /** The panel's size in pixels, as set in the controller. */
      width: z.number().int().min(8).max(4096).default(64),
      height: z.number().int().min(8).max(2048).default(32),
      /** Text lines: the panel is split into this many rows. */
      lines: z.number().int().min(1).max(4).default(2),
      timeoutMs: z.number().int().min(20).max(10_000).default(1_000),
      probeMs: z.number().int().min(500).max(600_000).default(10_000)
    })
    .strict(),
  create: ({ id, laneId }, { path, baudRate, reconnectMs, screen, series, width, height, lines, timeoutMs, probeMs }) =>
    new OnbonBxDisplay({ id, laneId, path, baudRate, reconnectMs, screen, series, width, height, lines, timeoutMs, probeMs }),
  commission: {
    options: { screen: { type: 'string', default: '1' }, series: { type: 'string', default: 'bx5' } },
    config: ({ path, baudRate, timeoutMs, values }) => ({ path, baudRate, reconnectMs: 500, screen: Number(values.screen), series: values.series, timeoutMs }),
    actions: displayActions
  },
  simulator: { name: 'onbon', demoArgs: [], config: (serialUrl) => ({ path: serialUrl }) }
})
