export { CameraInbox, type CameraInboxOptions } from './inbox'
export type { CameraRead } from './camera-read'
export { pushSecrets, startLprIngress, type LprIngress, type LprIngressOptions } from './lpr-push'
