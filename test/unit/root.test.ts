import { appCommands, platformCommands } from '@shared/contract'
import { describe, expect, it } from 'vitest'
import { ApiFailure } from '../../src/main/core/api'
import { demoConfig } from '../../src/main/core/config'
import { createRoot, defineArea, RootError, type RootContext, type RootOptions } from '../../src/main/core/root'

const options: RootOptions = {
  config: demoConfig({ dataDir: '/nonexistent/root-test', platformBaseUrl: 'http://127.0.0.1:9/ysgk' }),
  log: () => {},
  version: 'test',
  demo: false
}

/** Areas that note when they are made, started and stopped. */
function recorder() {
  const steps: string[] = []
  const clockArea = defineArea({
    name: 'clock',
    needs: [],
    provides: ['clock'],
    commands: {},
    create() {
      steps.push('make clock')
      return { provides: { clock: () => 1_000 }, handlers: {}, start: () => void steps.push('start clock'), stop: () => void steps.push('stop clock') }
    }
  })
  const infoArea = defineArea({
    name: 'info',
    needs: ['clock'],
    provides: [],
    commands: appCommands,
    create({ clock }) {
      steps.push(`make info at ${clock()}`)
      return {
        provides: {},
        handlers: { 'app.info': () => ({ version: 'test', demo: false, enterpriseCode: '4110020001', enterpriseName: '示范', lanes: [] }) },
        start: () => void steps.push('start info'),
        stop: () => void steps.push('stop info')
      }
    }
  })
  return { steps, clockArea, infoArea }
}

describe('the root builder', () => {
  it('makes and starts areas in order, gives each what it needs, and stops them in reverse', async () => {
    const { steps, clockArea, infoArea } = recorder()
    const root = await createRoot(options).use(clockArea).use(infoArea).start()
    expect(root.clock()).toBe(1_000)
    await root.close()
    expect(steps).toEqual(['make clock', 'make info at 1000', 'start clock', 'start info', 'stop info', 'stop clock'])
  })

  it("takes a role's own config: an area reading it runs on that root, one reading none on any", async () => {
    const neutralClock = defineArea({
      name: 'clock',
      needs: [],
      provides: ['clock'],
      commands: {},
      create: (_needs, _root: RootContext<unknown>) => ({ provides: { clock: () => 2_000 }, handlers: {} })
    })
    const named = defineArea({
      name: 'named',
      needs: ['clock'],
      provides: [],
      commands: appCommands,
      create(_needs, { config }: RootContext<{ enterpriseName: string }>) {
        return { provides: {}, handlers: { 'app.info': () => ({ version: 'test', demo: false, enterpriseCode: '4110020001', enterpriseName: config.enterpriseName, lanes: [] }) } }
      }
    })
    const plantLike = createRoot<{ enterpriseName: string }>({ ...options, config: { enterpriseName: '工厂' } })
    // @ts-expect-error an area reading a booth's config cannot be used on a root of another config
    plantLike.use(recorder().clockArea)
    const root = await plantLike.use(neutralClock).use(named).start()
    expect(await root.router.dispatch('app.info', {})).toMatchObject({ ok: true, result: { enterpriseName: '工厂' } })
    expect(root.clock()).toBe(2_000)
    await root.close()
    // The neutral area runs on a booth's root too.
    const booth = await createRoot(options).use(neutralClock).start()
    expect(booth.clock()).toBe(2_000)
    await booth.close()
  })

  it('refuses before anything starts: a need no earlier area provides, named', async () => {
    const { steps, infoArea } = recorder()
    // The compiler refuses this role too; a role put together at run time gets the same answer.
    await expect(createRoot(options).use(infoArea as never).start()).rejects.toThrow(new RootError('area "info" needs "clock", which no area before it provides'))
    expect(steps).toEqual([])
  })

  it('refuses a command served by two areas, and a key provided twice, naming both areas', async () => {
    const { clockArea, infoArea } = recorder()
    const otherInfo = { ...infoArea, name: 'other-info' }
    await expect(createRoot(options).use(clockArea).use(infoArea).use(otherInfo as never).start()).rejects.toThrow(
      'command "app.info" is served by both area "info" and area "other-info"'
    )
    await expect(createRoot(options).use(clockArea).use({ ...clockArea, name: 'second-clock' } as never).start()).rejects.toThrow(
      '"clock" is provided by both area "clock" and area "second-clock"'
    )
  })

  it('refuses an area without a handler for one of its commands, and stops the areas already made', async () => {
    const { steps, clockArea } = recorder()
    const silent = defineArea({
      name: 'silent-platform',
      needs: [],
      provides: [],
      commands: platformCommands,
      create: () => ({ provides: {}, handlers: {} as never })
    })
    await expect(createRoot(options).use(clockArea).use(silent).start()).rejects.toThrow('area "silent-platform" has no handler for its command "platform.status"')
    expect(steps).toEqual(['make clock', 'stop clock'])
  })

  it('stops what was made when an area fails to start', async () => {
    const { steps, clockArea, infoArea } = recorder()
    const failing = defineArea({
      name: 'failing',
      needs: [],
      provides: [],
      commands: {},
      create: () => ({ provides: {}, handlers: {}, start: () => Promise.reject(new Error('port in use')) })
    })
    await expect(createRoot(options).use(clockArea).use(infoArea).use(failing).start()).rejects.toThrow('port in use')
    expect(steps).toEqual(['make clock', 'make info at 1000', 'start clock', 'start info', 'stop info', 'stop clock'])
  })
})

describe('the router of a role', () => {
  it("serves only its areas' commands: another area's command is unknown here, like one outside the contract", async () => {
    const { clockArea, infoArea } = recorder()
    const root = await createRoot(options).use(clockArea).use(infoArea).start()
    expect(await root.router.dispatch('app.info', {})).toMatchObject({ ok: true, result: { version: 'test' } })
    expect(await root.router.dispatch('platform.status', {}, { actor: { userId: 'g', name: '门卫', role: 'guard' } })).toEqual({
      ok: false,
      error: { code: 'unknown_command', message: '未知命令：platform.status' }
    })
    expect(await root.router.dispatch('no.such', {})).toEqual({ ok: false, error: { code: 'unknown_command', message: '未知命令：no.such' } })
    await root.close()
  })

  it("answers an area's own error with its code, message and field issues; anything else is internal", async () => {
    class PlatformDown extends ApiFailure {
      constructor() {
        super('unavailable', '市级平台暂不可用', [{ path: 'baseUrl', message: '无法连接' }])
      }
    }
    let failure: Error = new PlatformDown()
    const platform = defineArea({
      name: 'platform',
      needs: [],
      provides: [],
      commands: platformCommands,
      create: () => ({
        provides: {},
        handlers: {
          'platform.status': () => {
            throw failure
          }
        }
      })
    })
    const root = await createRoot(options).use(platform).start()
    const guard = { actor: { userId: 'g', name: '门卫', role: 'guard' as const } }
    expect(await root.router.dispatch('platform.status', {}, guard)).toEqual({
      ok: false,
      error: { code: 'unavailable', message: '市级平台暂不可用', issues: [{ path: 'baseUrl', message: '无法连接' }] }
    })
    failure = new Error('disk on fire')
    expect(await root.router.dispatch('platform.status', {}, guard)).toEqual({ ok: false, error: { code: 'internal', message: '内部错误：disk on fire' } })
    await root.close()
  })
})
