/**
 * Clip fetch figures against the NVR simulator process: for a 30 s clip, the ISAPI search (digest auth), the download
 * of the recording, and its remux to MP4 (ffmpeg -c copy), beside a plain copy of the same bytes on the same disk;
 * then the same clip from the ONVIF Profile G side (Recording Search + GetReplayUri over SOAP, our RTSP replay client
 * with Rate-Control: no, depacketized to FLV, remuxed). The simulator serves a period it has generated once from
 * memory, so the download and the replay are transfer, not encoding.
 */
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { join } from 'node:path'
import { downloadRecording, findReplayUri, remuxToMp4, replayToFile, searchRecording, type IsapiRecorder, type OnvifRecorder } from '../src/main/booth/video'
import { spawnSimulator } from '../src/main/shell/demo'
import { heading, report, sampleMicros, summarize, type Summary } from './support'

const PASSWORD = 'bench-password'
const sim = await spawnSimulator('out/main/sim-nvr.js', ['--port', '0', '--retain-hours', '1'], { SIM_NVR_PASSWORD: PASSWORD }, /nvr-sim listening (http:\/\/\S+)/)
const recorder: IsapiRecorder = { url: sim.match[1]!, channel: '101', credentials: { username: 'admin', password: PASSWORD }, deviceTime: 'utc', timeoutMs: 30_000 }
const onvif: OnvifRecorder = { url: `${sim.match[1]!}/onvif/device_service`, recordingToken: 'rec1', credentials: recorder.credentials, timeoutMs: 30_000 }
const dir = await mkdtemp(join(tmpdir(), 'gate-bench-video-'))
const endAt = Date.now() - 60_000
const startAt = endAt - 30_000
const toMs = (summary: Summary) => ({ ...summary, p50: summary.p50 / 1000, p99: summary.p99 / 1000, mean: summary.mean / 1000 })

try {
  const source = join(dir, 'source.ts')
  const uri = (await searchRecording(recorder, startAt, endAt))!
  // The first download makes the simulator generate the period; every later one is served from its memory.
  await downloadRecording(recorder, uri, source)
  const bytes = (await stat(source)).size
  heading(`30 s clip, ${(bytes / 1024).toFixed(0)} KiB MPEG-TS (H.264 320×240, 10 fps)`)
  const copy = toMs(summarize(await sampleMicros(30, (i) => copyFile(source, join(dir, `copy-${i}.ts`)), 5)))
  report('plain file copy of the same bytes (baseline)', copy, undefined, 'ms')
  report('ISAPI search (digest, 2 round trips)', toMs(summarize(await sampleMicros(30, () => searchRecording(recorder, startAt, endAt), 5))), copy, 'ms')
  report('ISAPI download (digest, streamed to disk)', toMs(summarize(await sampleMicros(30, (i) => downloadRecording(recorder, uri, join(dir, `dl-${i}.ts`)), 5))), copy, 'ms')
  report('remux to MP4 (ffmpeg -c copy, + ffprobe)', toMs(summarize(await sampleMicros(20, (i) => remuxToMp4(source, join(dir, `clip-${i}.mp4`)), 3))), copy, 'ms')
  report(
    'search + download + remux (one clip fetch)',
    toMs(
      summarize(
        await sampleMicros(
          20,
          async (i) => {
            const found = (await searchRecording(recorder, startAt, endAt))!
            await downloadRecording(recorder, found, join(dir, `job-${i}.ts`))
            await remuxToMp4(join(dir, `job-${i}.ts`), join(dir, `job-${i}.mp4`))
          },
          3
        )
      )
    ),
    copy,
    'ms'
  )

  const replayUri = (await findReplayUri(onvif, startAt, endAt))!
  const replay = (file: string) => replayToFile({ uri: replayUri, credentials: onvif.credentials, startAt, endAt, timeoutMs: 30_000, file })
  // As with ISAPI, the first replay makes the simulator generate the period.
  const first = await replay(join(dir, 'replay.flv'))
  heading(`ONVIF Profile G: the same 30 s as an RTSP replay (${first.pictures} pictures, ${(first.bytes / 1024).toFixed(0)} KiB FLV)`)
  report('Recording Search + GetReplayUri (SOAP, WS-UsernameToken, 6 calls)', toMs(summarize(await sampleMicros(30, () => findReplayUri(onvif, startAt, endAt), 5))), copy, 'ms')
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  report('RTSP replay (Rate-Control: no), depacketized to FLV', toMs(summarize(await sampleMicros(30, (i) => replay(join(dir, `replay-${i}.flv`)), 5))), copy, 'ms')
  loop.disable()
  console.log(`event-loop delay while replaying: p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`)
  report(
    'search + replay + remux (one Profile G clip fetch)',
    toMs(
      summarize(
        await sampleMicros(
          20,
          async (i) => {
            const uri = (await findReplayUri(onvif, startAt, endAt))!
            await replayToFile({ uri, credentials: onvif.credentials, startAt, endAt, timeoutMs: 30_000, file: join(dir, `pg-${i}.flv`) })
            await remuxToMp4(join(dir, `pg-${i}.flv`), join(dir, `pg-${i}.mp4`))
          },
          3
        )
      )
    ),
    copy,
    'ms'
  )
} finally {
  await rm(dir, { recursive: true, force: true })
  sim.stop()
}
