export { backupDatabase, BackupError, DATABASE_FILE, restoreDatabase, validateBackup } from './backup'
export { retentionCutoff, sweepRetention, type SweepResult } from './sweep'
export { RetentionScheduler } from './scheduler'
