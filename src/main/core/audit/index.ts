export { AuditLog } from './audit-log'
export { rowHash } from './chain'
