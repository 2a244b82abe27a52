import { auditCommands } from '@shared/contract'
import { defineArea, type RootContext } from '../root/area'
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
  needs: ['sharedRepos', 'clock'],
  provides: ['audit'],
  commands: auditCommands,
  create({ sharedRepos, clock }, _root: RootContext<unknown>) {
    const audit = new AuditLog(sharedRepos.audit, clock)
    return {
      provides: { audit },
      handlers: {
        'audit.list': ({ limit, action }) => audit.list({ limit, action }),
        'audit.verify': () => audit.verify()
      }
    }
  }
})
