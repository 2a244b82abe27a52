export { jpegProblem, MAX_PHOTO_BYTES } from './jpeg'
export { preparePhoto, PhotoProblemError, type PreparedPhoto } from './prepare'
