// `npm run rebuild:electron`: prepares better-sqlite3 for Electron's Node ABI again (after an Electron upgrade, or
// when `npm start` says the native modules do not load under Electron). serialport's binding is N-API: no rebuild.
import { rebuildElectronSqlite } from './electron-native.mjs'

const binding = rebuildElectronSqlite()
if (!binding) {
  console.error('未能为 Electron 构建 better-sqlite3：需要联网（或 ELECTRON_MIRROR 镜像）及 C++ 编译工具 / could not build better-sqlite3 for Electron: needs the internet (or ELECTRON_MIRROR) and a C++ toolchain')
  process.exit(1)
}
console.log(`better-sqlite3 for Electron: ${binding}`)
