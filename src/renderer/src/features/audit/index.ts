import type { Feature } from '../feature'
import { AuditPanel } from './AuditPanel'

/** 操作记录: the latest audit entries. */
export const audit: Feature = {
  id: 'audit',
  title: (t) => t.audit.title,
  role: 'guard',
  workspace: 'admin',
  Screen: AuditPanel
}
