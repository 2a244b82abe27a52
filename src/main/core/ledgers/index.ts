export { ledgersArea } from './area'
