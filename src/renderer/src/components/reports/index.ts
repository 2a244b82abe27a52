export { ReportsPanel } from './ReportsPanel'
