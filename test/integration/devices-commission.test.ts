/**
 * The commissioning command (out/main/commission.js) pokes a device on a real pty, as an installer would on site.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { repoRoot, stopProcess, type RunningProcess } from './support'
import { simSerialUrl, simState, startPtyPair, startSerialSim, type PtyPair } from './serial-support'

let pty: PtyPair | undefined
let sim: RunningProcess | undefined

afterEach(async () => {
  await stopProcess(sim)
  await pty?.stop()
  sim = pty = undefined
})

function commission(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'out/main/commission.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })))
}

describe('commission', () => {
  it('open-barrier raises the arm of the controller on the line and reports what the inputs say', async () => {
    pty = await startPtyPair()
    sim = await startSerialSim('barrier', pty.device, ['--travel-ms', '200'])
    const run = await commission([pty.booth, 'open-barrier', '--watch-ms', '1500'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('open-barrier: acknowledged by the controller')
    expect(run.stdout).toContain('arm up, loop free')
    expect(run.stdout).toContain('commission/barrier: online')
    expect(await simState(sim)).toMatchObject({ opens: 1, arm: 'up' })
  })

  it('show puts the text with its colour and voice on the display', async () => {
    pty = await startPtyPair()
    sim = await startSerialSim('led', pty.device)
    const run = await commission([pty.booth, 'show', '2号道闸\\n调试中', '--colour', 'yellow', '--voice', '欢迎光临'])
    expect(run.code).toBe(0)
    expect(await simState(sim)).toMatchObject({
      lines: [{ text: '2号道闸', colour: 'yellow' }, { text: '调试中', colour: 'yellow' }, null, null],
      voice: ['欢迎光临']
    })
  })

  it('fails with the reason when nothing answers, and exits 1', async () => {
    pty = await startPtyPair()
    const run = await commission([pty.booth, 'lower-barrier', '--timeout-ms', '200'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('did not lower the arm: no answer within 200 ms')
  })

  it('weight prints the indicator\'s readings, and the scale\'s health', async () => {
    pty = await startPtyPair()
    sim = await startSerialSim('scale', pty.device, ['--interval-ms', '50'])
    const run = await commission([pty.booth, 'weight', '--watch-ms', '800'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^-?\d+ kg/m)
    expect(run.stdout).toContain('commission/scale: online')
  })

  it('--kind picks the brand from the device table; one the table does not have is refused with the kinds it has', async () => {
    pty = await startPtyPair()
    const run = await commission([pty.booth, 'open-barrier', '--kind', 'relay'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('no device of kind relay can open-barrier')
    expect(run.stderr).toContain('barrier: modbus-rtu')
    const wrongRole = await commission([pty.booth, 'open-barrier', '--kind', 'xk3190'])
    expect(wrongRole.stderr).toContain('no device of kind xk3190 can open-barrier')
  })

  it('show on an Onbon BX controller (--kind onbon-bx): the lines in their colour and the voice', async () => {
    pty = await startPtyPair()
    sim = await startSerialSim('onbon', pty.device, ['--screen', '2'])
    const run = await commission([pty.booth, 'show', '1号入口\\n调试中', '--kind', 'onbon-bx', '--screen', '2', '--baud', '57600', '--colour', 'red', '--voice', '调试语音'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('show: acknowledged by the display')
    const state = await simState(sim)
    expect(state.areas.map((area: any) => [area.text, area.colour])).toEqual([
      ['1号入口', 'red'],
      ['调试中', 'red']
    ])
    expect(state.voice).toEqual(['调试语音'])
  })

  it('show through a Vzenith camera (--kind vzenith-rs485 tcp://camera:8131): the module shows and speaks', async () => {
    sim = await startSerialSim('vzenith-rs485', 'tcp://127.0.0.1:0')
    const run = await commission([simSerialUrl(sim), 'show', '3号出口', '--kind', 'vzenith-rs485', '--colour', 'green', '--voice', '一路顺风'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('commission/display: online')
    const state = await simState(sim)
    expect(state.lines[0]).toEqual({ text: '3号出口', colour: 'green' })
    expect(state.voice).toEqual(['一路顺风'])
  })
})
