/**
 * The only bridge between the sandboxed renderer and main: invoke a contract command, listen to contract events.
 * No Node, no ipcRenderer, no other channel is exposed.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { wire } from '../shared/wire'

contextBridge.exposeInMainWorld('gateBridge', {
  invoke: (command: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(wire.ipcInvoke, command, input),
  onEvent: (listener: (event: string, payload: unknown) => void): (() => void) => {
    const forward = (_: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload)
    ipcRenderer.on(wire.ipcEvent, forward)
    return () => ipcRenderer.off(wire.ipcEvent, forward)
  }
})
