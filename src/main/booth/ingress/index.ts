export { CameraInbox, type CameraInboxOptions } from './inbox'
export type { CameraRead } from './camera-read'
export { startLprIngress, type LprIngress, type LprIngressOptions } from './lpr-push'
