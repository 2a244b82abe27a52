import { z } from 'zod'
import { barrierActions } from '../commission-actions'
import { defineDeviceKind } from '../kind'
import { serialLineFields } from '../serial/serial-device'
import { ModbusBarrier } from './modbus-barrier'

/** The barrier controller as a Modbus RTU slave (docs/devices.md, "Barrier"): `"barrier": { "kind": "modbus-rtu", … }`. */
export const modbusRtuBarrier = defineDeviceKind({
  role: 'barrier',
  kind: 'modbus-rtu',
  config: z
    .object({
      kind: z.literal('modbus-rtu'),
      ...serialLineFields,
      unitId: z.number().int().min(1).max(247).default(1),
      timeoutMs: z.number().int().min(20).max(10_000).default(300),
      retries: z.number().int().min(0).max(5).default(1),
      pollMs: z.number().int().min(20).max(10_000).default(200),
      registers: z
        .object({
          openCoil: z.number().int().min(0).max(65_535).default(0),
          closeCoil: z.number().int().min(0).max(65_535).default(1),
          armUpInput: z.number().int().min(0).max(65_535).default(0),
          armDownInput: z.number().int().min(0).max(65_535).default(1),
          loopInput: z.number().int().min(0).max(65_535).nullable().default(2)
        })
        .strict()
        .prefault({})
    })
    .strict(),
  create: ({ id, laneId }, { path, baudRate, unitId, timeoutMs, retries, pollMs, reconnectMs, registers }) =>
    new ModbusBarrier({ id, laneId, path, baudRate, unitId, timeoutMs, retries, pollMs, reconnectMs, registers }),
  commission: {
    options: { unit: { type: 'string', default: '1' } },
    config: ({ path, baudRate, timeoutMs, values }) => ({ path, baudRate, reconnectMs: 500, unitId: Number(values.unit), timeoutMs }),
    actions: barrierActions
  },
  simulator: { name: 'barrier', demoArgs: ['--auto-drive'], config: (serialUrl) => ({ path: serialUrl }) }
})
