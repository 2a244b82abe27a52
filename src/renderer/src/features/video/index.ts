export { ClipExportButton } from './ClipExportButton'
export { PassageClips } from './PassageClips'
