/** Names of the wire channels, shared by the transports. Dependency-free: the sandboxed preload imports it. */
export const wire = {
  ipcInvoke: 'gate-api:invoke',
  ipcEvent: 'gate-api:event',
  httpInvokePrefix: '/api/',
  wsEvents: '/api/events'
} as const
