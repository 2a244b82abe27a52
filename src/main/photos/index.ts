export { jpegProblem, MAX_PHOTO_BYTES, sendablePhotoProblem } from './jpeg'
export { preparePhoto, PhotoProblemError, type PreparedPhoto } from './prepare'
