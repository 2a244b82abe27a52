import { z } from 'zod'
import { registerSecret } from '../../../core/log'
import { DigestClient } from '../camera'
import { barrierActions } from '../commission-actions'
import { defineDeviceKind } from '../kind'
import type { CameraBarrierApi } from './api'
import { CameraBarrier } from './camera-barrier'
import { dahuaApi } from './dahua'
import { hikvisionApi } from './hikvision'
import { onvifRelayApi } from './onvif-relay'
import { VzenithReplyBarrier } from './vzenith-reply'
import { tcpAddress, VzenithChannel, vzenithTcpApi } from './vzenith-tcp'

export { VzenithReplyBarrier }

const inputNumber = z.number().int().min(1).max(16).nullable()

/**
 * The lane's barrier, opened and lowered by the lane's camera through the brand's HTTP API (docs/devices.md, "Barrier
 * through the camera"): `"barrier": { "kind": "camera", "brand": "hikvision", "url": "http://192.168.1.64", … }`.
 */
export const cameraBarrier = defineDeviceKind({
  role: 'barrier',
  kind: 'camera',
  config: z
    .object({
      kind: z.literal('camera'),
      brand: z.enum(['hikvision', 'dahua', 'onvif', 'vzenith']),
      /**
       * The camera's web address, e.g. http://192.168.1.64 (no path); ONVIF: its device service URL; 臻识: its TCP
       * channel tcp://192.168.1.100:8131 (opens outside a push reply too), or none (only the push reply opens).
       */
      url: z.url().optional(),
      username: z.string().min(1).default('admin'),
      /** The camera password is read from this environment variable, never from the config file. */
      passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).default('GATE_CAMERA_PASSWORD'),
      channel: z.number().int().min(1).max(64).default(1),
      /** Hikvision: the camera's barrier API (barrierGate) or a controller on its alarm outputs (io-output). */
      control: z.enum(['barrierGate', 'io-output']).default('barrierGate'),
      openOutput: z.number().int().min(1).max(16).default(1),
      /** 臻识: how long the IO output stays closed for one open or close (ioctl delay). */
      pulseMs: z.number().int().min(100).max(10_000).default(500),
      closeOutput: z.number().int().min(1).max(16).nullable().default(null),
      /** ONVIF: the relay output wired to the controller's open input, and (if any) the one wired to its close input. */
      relayToken: z.string().min(1).max(64).default('RelayOutput_1'),
      closeRelayToken: z.string().min(1).max(64).nullable().default(null),
      /** The camera's alarm inputs wired to the loop detector (or radar) and to the arm's limit switches. */
      inputs: z.object({ loop: inputNumber.default(null), armUp: inputNumber.default(null), armDown: inputNumber.default(null) }).strict().prefault({}),
      pollMs: z.number().int().min(50).max(60_000).default(300),
      timeoutMs: z.number().int().min(100).max(30_000).default(2_000)
    })
    .strict()
    .refine((config) => config.brand === 'vzenith' || config.url !== undefined, { message: '摄像机开闸需要摄像机地址（url）', path: ['url'] })
    .refine((config) => config.brand !== 'vzenith' || config.url === undefined || tcpAddress(config.url) !== null, {
      message: '臻识摄像机的地址写作 tcp://<摄像机 IP>:8131',
      path: ['url']
    })
    .refine(
      (config) => config.brand !== 'vzenith' || [config.openOutput, config.closeOutput, config.inputs.loop, config.inputs.armUp, config.inputs.armDown].every((n) => n === null || n <= 2),
      { message: '臻识摄像机只有 IO 输出 1、2 和 IO 输入 1、2', path: ['inputs'] }
    ),
  create: ({ id, laneId }, config) => {
    if (config.brand === 'vzenith') {
      const address = config.url ? tcpAddress(config.url) : null
      const channel = address
        ? new CameraBarrier({
            id,
            laneId,
            api: vzenithTcpApi(new VzenithChannel(address.host, address.port, config.timeoutMs), { openOutput: config.openOutput, closeOutput: config.closeOutput, pulseMs: config.pulseMs }),
            inputs: config.inputs,
            pollMs: config.pollMs
          })
        : null
      return new VzenithReplyBarrier(id, laneId, channel)
    }
    const url = config.url!
    const password = process.env[config.passwordEnv]
    if (password) registerSecret(password)
    const client = new DigestClient({ username: config.username, password: password ?? '' }, config.timeoutMs)
    const api: CameraBarrierApi =
      config.brand === 'hikvision'
        ? hikvisionApi(client, { baseUrl: url, channel: config.channel, control: config.control, openOutput: config.openOutput, closeOutput: config.closeOutput })
        : config.brand === 'dahua'
          ? dahuaApi(client, { baseUrl: url, channel: config.channel })
          : onvifRelayApi({ url, username: config.username, password: password ?? '', relayToken: config.relayToken, closeRelayToken: config.closeRelayToken, timeoutMs: config.timeoutMs })
    return new CameraBarrier({
      id,
      laneId,
      api,
      inputs: config.inputs,
      pollMs: config.pollMs,
      unusable: password ? null : `摄像机密码环境变量 ${config.passwordEnv} 未设置（lanes[].barrier.passwordEnv）`
    })
  },
  commission: {
    options: { brand: { type: 'string', default: 'hikvision' }, user: { type: 'string', default: 'admin' }, 'password-env': { type: 'string', default: 'GATE_CAMERA_PASSWORD' }, loop: { type: 'string' } },
    config: ({ path, timeoutMs, values }) => ({
      url: path,
      brand: values.brand,
      username: values.user,
      passwordEnv: values['password-env'],
      timeoutMs,
      ...(values.loop ? { inputs: { loop: Number(values.loop) } } : {})
    }),
    actions: [
      ...barrierActions,
      {
        name: 'last-plate',
        usage: 'last-plate',
        async run(barrier, { opened, print, fail }) {
          if (!(barrier instanceof CameraBarrier) && !(barrier instanceof VzenithReplyBarrier)) return fail('last-plate: this camera barrier has no plate records')
          await opened
          const last = await barrier.lastPlate()
          print(last ? `last plate: ${last.plate} at ${last.at}` : 'last plate: none recognised in the last 24 h')
        }
      }
    ]
  },
  simulator: { name: 'hikvision', demoArgs: [], config: (url) => ({ url, brand: 'hikvision' }) }
})
