import { describe, expect, it } from 'vitest'
import { clipCause, clipPeriod, isapiTime, NvrError, playbackUriOf, searchDescription } from '../../src/main/booth/video'
import { crc32, crc32Yielding, zipStored } from '../../src/main/booth/video/zip'
import { parseConfig } from '../../src/main/core/config'

const at = Date.parse('2026-12-04T08:00:10.400Z')

/** A search answer as Hikvision's ISAPI document shows it (namespace, one match, a track-wide playback URI). */
const SEARCH_RESULT = `<?xml version="1.0" encoding="UTF-8"?>
<CMSearchResult version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<searchID>C7A2B1D0-1111-2222-3333-444455556666</searchID>
<responseStatus>true</responseStatus><responseStatusStrg>OK</responseStatusStrg><numOfMatches>1</numOfMatches>
<matchList><searchMatchItem><sourceID>{0000}</sourceID><trackID>101</trackID>
<timeSpan><startTime>2026-12-04T07:00:00Z</startTime><endTime>2026-12-04T09:00:00Z</endTime></timeSpan>
<mediaSegmentDescriptor><contentType>video</contentType><codecType>H.264-BP</codecType>
<playbackURI>rtsp://192.168.1.20/Streaming/tracks/101/?starttime=20261204T070000Z&amp;endtime=20261204T090000Z&amp;name=00000000123000000&amp;size=262144</playbackURI>
</mediaSegmentDescriptor></searchMatchItem></matchList></CMSearchResult>`

describe('ISAPI ContentMgmt', () => {
  it('writes times in UTC, or as Beijing wall time marked Z for recorders that do so', () => {
    expect(isapiTime(at, 'utc')).toBe('2026-12-04T08:00:10Z')
    expect(isapiTime(at, 'beijing')).toBe('2026-12-04T16:00:10Z')
  })

  it('asks for one track and the period', () => {
    const xml = searchDescription('101', at - 10_000, at + 20_000, 'utc', 'ID-1')
    expect(xml).toContain('<searchID>ID-1</searchID>')
    expect(xml).toContain('<trackIDList><trackID>101</trackID></trackIDList>')
    expect(xml).toContain('<startTime>2026-12-04T08:00:00Z</startTime><endTime>2026-12-04T08:00:30Z</endTime>')
  })

  it('takes the playback URI and narrows it to exactly the clip, keeping the recorder’s other parameters', () => {
    const uri = new URL(playbackUriOf(SEARCH_RESULT, at - 10_000, at + 20_000, 'utc')!)
    expect(uri.pathname).toBe('/Streaming/tracks/101/')
    expect(uri.searchParams.get('starttime')).toBe('20261204T080000Z')
    expect(uri.searchParams.get('endtime')).toBe('20261204T080030Z')
    expect(uri.searchParams.get('name')).toBe('00000000123000000')
  })

  it('reads NO MATCHES as no recording, and refuses what is not a search result', () => {
    const none = `<CMSearchResult><searchID>x</searchID><responseStatus>true</responseStatus><responseStatusStrg>NO MATCHES</responseStatusStrg><numOfMatches>0</numOfMatches></CMSearchResult>`
    expect(playbackUriOf(none, at, at + 1000, 'utc')).toBeNull()
    expect(() => playbackUriOf('<ResponseStatus><statusCode>4</statusCode></ResponseStatus>', at, at + 1000, 'utc')).toThrow(NvrError)
    expect(() => playbackUriOf('<CMSearchResult><unclosed>', at, at + 1000, 'utc')).toThrow(/XML/)
  })
})

describe('which passages get their clip, and its period', () => {
  it('forced, remote-raised, manually released and refused passages; not a plain allowed one', () => {
    expect(clipCause({ decision: 'refuse', reasonCode: 'platform_control', forced: false })).toBe('拒绝通行')
    expect(clipCause({ decision: 'refuse', reasonCode: 'manual_refuse' })).toBe('拒绝通行')
    expect(clipCause({ decision: 'refuse', reasonCode: 'forced_unread', forced: true })).toBe('闯岗')
    expect(clipCause({ decision: 'allow', reasonCode: 'manual_release_violation', forced: false })).toBe('人工放行')
    expect(clipCause({ decision: 'allow', reasonCode: 'platform_allow', forced: false })).toBeNull()
    expect(clipCause({ decision: 'allow', reasonCode: 'remote_raise', forced: false, raiseSource: 'remote' })).toBe('遥控抬杆')
    expect(clipCause({ decision: 'allow', reasonCode: 'platform_allow', forced: false, raiseSource: 'plate' })).toBeNull()
  })

  it('runs from preSeconds before the read to postSeconds after it', () => {
    expect(clipPeriod(at, { preSeconds: 10, postSeconds: 20 })).toEqual({ startAt: at - 10_000, endAt: at + 20_000 })
  })

  it('config: a lane names its recorder channels; defaults for the period and the password variable', () => {
    const config = parseConfig(
      {
        dataDir: '/tmp/x',
        platform: { baseUrl: 'http://127.0.0.1:1/ysgk', username: 'u' },
        enterprise: { code: '4110020001', name: 'x' },
        lanes: [{ id: 'in1', name: '1', gateCode: '01', direction: 'in', nvr: [{ kind: 'hikvision-isapi', url: 'http://192.168.1.20', channel: '101' }] }]
      },
      '/tmp'
    )
    expect(config.lanes[0]!.nvr[0]).toMatchObject({ name: '录像机', username: 'admin', passwordEnv: 'GATE_NVR_PASSWORD', deviceTime: 'utc', keepDays: 30 })
    expect(config.video).toMatchObject({ preSeconds: 10, postSeconds: 20 })
    expect(() =>
      parseConfig(
        { dataDir: '/tmp/x', platform: { baseUrl: 'http://127.0.0.1:1/ysgk', username: 'u' }, enterprise: { code: '4110020001', name: 'x' }, lanes: [{ id: 'in1', name: '1', gateCode: '01', direction: 'in', nvr: [{ kind: 'dvr', url: 'x', channel: '1', password: 'p' }] }] },
        '/tmp'
      )
    ).toThrow(/lanes\[0\]\.nvr\[0\]/)
  })
})

describe('the export ZIP', () => {
  it('CRC-32 as ZIP needs it, and stored entries with UTF-8 names', async () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    const large = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251))
    expect(await crc32Yielding(large)).toBe(crc32(large))
    const zip = await zipStored([{ name: '录像/411002000101A261204080010.mp4', bytes: Buffer.from('abc') }])
    expect(zip.readUInt32LE(0)).toBe(0x04034b50)
    expect(zip.readUInt16LE(6) & 0x0800).toBe(0x0800)
    expect(zip.subarray(30, 30 + Buffer.byteLength('录像/411002000101A261204080010.mp4')).toString('utf8')).toBe('录像/411002000101A261204080010.mp4')
    expect(zip.readUInt16LE(zip.length - 22 + 10)).toBe(1)
  })
})
