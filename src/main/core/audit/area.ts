import { auditCommands } from '@shared/contract'
import { defineArea } from '../root/area'
import { AuditLog } from './audit-log'

declare module '../root/area' {
  interface Provided {
    /** The hash-chained audit log; the router records every audited command and refused call in it. */
    audit: AuditLog
  }
}

/** The append-only audit log: written by the router and by login, read by guards, verified by an admin. */
export const auditArea = defineArea({
  name: 'audit',
  needs: ['repos', 'clock'],
  provides: ['audit'],
  commands: auditCommands,
  create({ repos, clock }) {
    const audit = new AuditLog(repos.audit, clock)
    return {
      provides: { audit },
      handlers: {
        'audit.list': ({ limit, action }) => audit.list({ limit, action }),
        'audit.verify': () => audit.verify()
      }
    }
  }
})
