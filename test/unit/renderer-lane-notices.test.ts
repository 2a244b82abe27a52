import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { LaneState, PassagePhoto } from '@shared/contract'
import { RAISE_SOURCE_LABEL } from '@shared/contract'
import { BarrierNotice } from '../../src/renderer/src/components/BarrierNotice'
import { RaiseTag } from '../../src/renderer/src/components/tags'
import { tilePhotos } from '../../src/renderer/src/state/lanes'

const LOWER_WAITING = '防砸：车辆仍在道闸下，落杆等待车辆驶离'

function laneState(barrierNotice: string | null): LaneState {
  return { laneId: 'in1', phase: 'barrier_open', current: null, queued: 0, barrier: { arm: 'up', loopOccupied: barrierNotice !== null }, barrierNotice } as LaneState
}

describe('防砸 on the lane tile and the attention card', () => {
  it('the tile keeps its notice line, empty while nothing waits, so the board does not jump when it fills', () => {
    const idle = renderToStaticMarkup(createElement(BarrierNotice, { state: laneState(null), reserved: true }))
    const waiting = renderToStaticMarkup(createElement(BarrierNotice, { state: laneState(LOWER_WAITING), reserved: true }))
    expect(idle).toContain('class="lane-tile__notice"')
    expect(idle).not.toContain('防砸')
    expect(waiting).toContain('class="lane-tile__notice"')
    expect(waiting).toContain(LOWER_WAITING)
    expect(waiting).toContain('data-waiting="true"')
    expect(renderToStaticMarkup(createElement(BarrierNotice, { state: undefined, reserved: true }))).toContain('lane-tile__notice')
  })

  it('the attention card says why only when a lower waits', () => {
    expect(renderToStaticMarkup(createElement(BarrierNotice, { state: laneState(null), reserved: false }))).toBe('')
    expect(renderToStaticMarkup(createElement(BarrierNotice, { state: laneState(LOWER_WAITING), reserved: false }))).toContain(LOWER_WAITING)
  })
})

describe('raise source in the journal and the photo viewer', () => {
  it('reads in Chinese, with 遥控抬杆 flagged as the alarm it is', () => {
    expect(renderToStaticMarkup(createElement(RaiseTag, { source: 'plate' }))).toContain('车牌自动抬杆')
    expect(renderToStaticMarkup(createElement(RaiseTag, { source: 'guard' }))).toContain('值班员抬杆')
    expect(renderToStaticMarkup(createElement(RaiseTag, { source: 'hand' }))).toContain('手动抬杆')
    const remote = renderToStaticMarkup(createElement(RaiseTag, { source: 'remote' }))
    expect(remote).toContain('遥控抬杆')
    expect(remote).toContain('tag--raise-remote')
    expect(remote).toMatch(/title="[^"]*报警/)
    expect(renderToStaticMarkup(createElement(RaiseTag, { source: null }))).toBe('')
  })

  it('has a Chinese label for every source, and none of them is a code', () => {
    expect(Object.keys(RAISE_SOURCE_LABEL).sort()).toEqual(['guard', 'hand', 'plate', 'remote'])
    for (const label of Object.values(RAISE_SOURCE_LABEL)) expect(label).toMatch(/^[\u4e00-\u9fa5]+$/)
  })
})

describe('the tile\'s pictures', () => {
  const photo = (zpbh: string): PassagePhoto => ({ zpbh, zplx: '1', takenAt: '2026-12-04T01:30:15Z', jpegBase64: zpbh })

  it('shows the scene with the plate close-up beside it when the camera sent one', () => {
    expect(tilePhotos([photo('1'), photo('p')])).toEqual({ scene: photo('1'), closeUp: photo('p') })
    expect(tilePhotos([photo('2'), photo('1'), photo('p')])).toEqual({ scene: photo('1'), closeUp: photo('p') })
  })

  it('without a close-up shows the scene alone, cropping nothing; a close-up alone is shown as the picture', () => {
    expect(tilePhotos([photo('1')])).toEqual({ scene: photo('1'), closeUp: null })
    expect(tilePhotos([photo('2')])).toEqual({ scene: photo('2'), closeUp: null })
    expect(tilePhotos([photo('p')])).toEqual({ scene: photo('p'), closeUp: null })
    expect(tilePhotos([])).toEqual({ scene: null, closeUp: null })
  })
})
