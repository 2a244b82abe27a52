import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

const sharedAlias = { '@shared': resolve(__dirname, 'src/shared') }

// One Node build holds every process that runs outside the renderer: the Electron shell, the headless host and
// the simulators. Only `index` may import 'electron' (eslint enforces it), so the rest runs in plain Node.
export default defineConfig({
  main: {
    resolve: { alias: sharedAlias },
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/shell/electron.ts'),
          host: resolve(__dirname, 'src/main/shell/host.ts'),
          'sim-platform': resolve(__dirname, 'src/sim/platform/main.ts'),
          'sim-onvif': resolve(__dirname, 'src/sim/onvif/main.ts'),
          'sim-barrier': resolve(__dirname, 'src/sim/barrier/main.ts'),
          'sim-led': resolve(__dirname, 'src/sim/led/main.ts'),
          'sim-scale': resolve(__dirname, 'src/sim/scale/main.ts'),
          'sim-onbon': resolve(__dirname, 'src/sim/onbon/main.ts'),
          'sim-vzenith-rs485': resolve(__dirname, 'src/sim/vzenith-rs485/main.ts'),
          'sim-nvr': resolve(__dirname, 'src/sim/nvr/main.ts'),
          'sim-hikvision': resolve(__dirname, 'src/sim/hikvision/main.ts'),
          'sim-dahua': resolve(__dirname, 'src/sim/dahua/main.ts'),
          commission: resolve(__dirname, 'src/main/booth/devices/commission.ts'),
          ops: resolve(__dirname, 'src/main/shell/cli/ops.ts'),
          users: resolve(__dirname, 'src/main/shell/cli/users.ts'),
          'audit-verify': resolve(__dirname, 'src/main/shell/cli/audit-verify.ts'),
          'ocr-worker': resolve(__dirname, 'src/main/core/ocr/worker.ts'),
          plant: resolve(__dirname, 'src/main/shell/plant.ts')
        }
      }
    }
  },
  preload: {
    resolve: { alias: sharedAlias },
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias: { ...sharedAlias, '@renderer': resolve(__dirname, 'src/renderer/src') } },
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } }
    }
  }
})
