export { type AuditEntryRow, type AuditFilter, type AuditRecord, listAudit, writeAudit } from './audit.js';
export { DataDirLock, isLockLive, type LockInfo, lockPath, readLock } from './data-dir-lock.js';
export type {
  AuditLogTable,
  Database,
  DatasetsTable,
  DatasetValidationReportsTable,
  DatasetVersionsTable,
  Db,
  ExperimentsTable,
  MetricsTable,
  RunStatus,
  RunsTable,
  TransformsTable,
} from './database.js';
export { MIGRATIONS, type Migration, migrate } from './migrate.js';
export { type OpenStoreOptions, openStore, type Store, type StoreKind } from './open-store.js';
export { isUniqueViolation, type Tx } from './sql-errors.js';
export { projectExists, UserDirectory } from './users.js';
