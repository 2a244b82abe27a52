export { AuditLog, type NewAuditEntry } from './audit-log'
export { GENESIS_HASH, rowHash, verifyChain, type ChainedContent, type ChainState, type StoredRow } from './chain'
export type { AuditRepo } from './repo'
