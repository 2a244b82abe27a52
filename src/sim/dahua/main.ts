/**
 * The Dahua ITC camera simulator as its own process (tests, bench, commissioning on a bench).
 *   node out/main/sim-dahua.js [--host 127.0.0.1] [--port 0] [--username admin] [--push-url http://127.0.0.1:5781/lpr/in1] [--travel-ms 300] [--lane 1号入口]
 * The password comes from SIM_CAMERA_PASSWORD (default admin123). Prints "dahua-sim listening <url>".
 */
import { runCameraSimProcess } from '../camera-http/process'
import { startDahuaSim } from './server'

await runCameraSimProcess('dahua', startDahuaSim)
