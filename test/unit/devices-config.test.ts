import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/main/core/config'

const base = {
  dataDir: 'data',
  platform: { baseUrl: 'http://10.0.0.5:8080/ysgk', username: 'gate01' },
  enterprise: { code: '4110020001', name: '许昌示范钢铁有限公司' }
}
const lane = (devices: Record<string, unknown>) => ({ ...base, lanes: [{ id: 'in1', name: '1号入口', gateCode: '01', direction: 'in', ...devices }] })

describe('lane device config', () => {
  it('fills the serial defaults and the documented register map', () => {
    const config = parseConfig(
      lane({ barrier: { kind: 'modbus-rtu', path: '/dev/ttyUSB0' }, display: { kind: 'led', path: 'tcp://10.0.0.9:4001' }, scale: { kind: 'xk3190', path: 'COM3' } }),
      '/'
    )
    const { barrier, display, scale } = config.lanes[0]!
    expect(barrier).toEqual({
      kind: 'modbus-rtu',
      path: '/dev/ttyUSB0',
      baudRate: 9600,
      reconnectMs: 2000,
      unitId: 1,
      timeoutMs: 300,
      retries: 1,
      pollMs: 200,
      registers: { openCoil: 0, closeCoil: 1, armUpInput: 0, armDownInput: 1, loopInput: 2 }
    })
    expect(display).toMatchObject({ kind: 'led', protocol: '0x64', address: 0, password: '000000', probeMs: 10_000, lines: 4 })
    expect(scale).toMatchObject({ kind: 'xk3190', stableToleranceKg: 20, settleMs: 3000, staleMs: 2000 })
  })

  it('a lane without devices has none of them', () => {
    expect(parseConfig(lane({}), '/').lanes[0]).toMatchObject({ barrier: { kind: 'none' }, display: { kind: 'none' }, scale: { kind: 'none' } })
  })

  it('names the missing or wrong field', () => {
    expect(() => parseConfig(lane({ barrier: { kind: 'modbus-rtu' } }), '/')).toThrow(/lanes\[0\]\.barrier\.path/)
    expect(() => parseConfig(lane({ barrier: { kind: 'modbus-rtu', path: '/dev/ttyUSB0', unitId: 0 } }), '/')).toThrow(/lanes\[0\]\.barrier\.unitId/)
    expect(() => parseConfig(lane({ display: { kind: 'led', path: 'x', protocol: 'huidu' } }), '/')).toThrow(/lanes\[0\]\.display\.protocol/)
    expect(() => parseConfig(lane({ scale: { kind: 'xk3190', path: 'x', colour: 1 } }), '/')).toThrow(/lanes\[0\]\.scale/)
    expect(() => parseConfig(lane({ barrier: { kind: 'relay' } }), '/')).toThrow(/lanes\[0\]\.barrier/)
  })

  it('a 臻识 camera barrier: its TCP channel as tcp://<camera>:8131 (or none), and only the camera’s two outputs and inputs', () => {
    const vz = (barrier: Record<string, unknown>) => parseConfig(lane({ barrier: { kind: 'camera', brand: 'vzenith', ...barrier } }), '/').lanes[0]!.barrier
    expect(vz({})).toMatchObject({ brand: 'vzenith', pulseMs: 500, openOutput: 1 })
    expect(vz({ url: 'tcp://192.168.1.100:8131', inputs: { loop: 1 } })).toMatchObject({ url: 'tcp://192.168.1.100:8131', inputs: { loop: 1, armUp: null } })
    expect(() => vz({ url: 'http://192.168.1.100' })).toThrow('tcp://<摄像机 IP>:8131')
    expect(() => vz({ url: 'tcp://192.168.1.100:8131', inputs: { loop: 3 } })).toThrow('IO 输入 1、2')
  })
})
