import { downloadRecording, searchRecording, type IsapiRecorder } from './isapi'
import { findReplayUri, type OnvifRecorder } from './onvif-recording'
import { replayToFile } from './rtsp-replay'

/** Where a clip's period is found and fetched from, whatever the recorder speaks. */
export interface ClipSource {
  /** A handle on the recording of the period (a playback or replay URI), or null when the recorder holds none of it. */
  find(startAt: number, endAt: number): Promise<string | null>
  /** The period's video into `file`, in a container ffmpeg reads; resolves with the bytes written. */
  fetch(found: string, startAt: number, endAt: number, file: string): Promise<number>
}

/** Hikvision ISAPI ContentMgmt: search, then download the playback URI (MPEG-PS/TS/MP4 as the recorder keeps it). */
export function isapiSource(recorder: IsapiRecorder): ClipSource {
  return {
    find: (startAt, endAt) => searchRecording(recorder, startAt, endAt),
    fetch: (uri, _startAt, _endAt, file) => downloadRecording(recorder, uri, file)
  }
}

/** ONVIF Profile G: Recording Search and GetReplayUri, then our RTSP replay client (FLV with the RTP timestamps). */
export function onvifSource(recorder: OnvifRecorder): ClipSource {
  return {
    find: (startAt, endAt) => findReplayUri(recorder, startAt, endAt),
    fetch: async (uri, startAt, endAt, file) => (await replayToFile({ uri, credentials: recorder.credentials, startAt, endAt, timeoutMs: recorder.timeoutMs, file })).bytes
  }
}
