export { jpegProblem, MAX_PHOTO_BYTES } from './jpeg'
export { preparePhoto, prepareUploadImage, PhotoProblemError } from './prepare'
