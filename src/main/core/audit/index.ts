export { AuditLog, type NewAuditEntry } from './audit-log'
export { GENESIS_HASH, rowHash, verifyChain } from './chain'
