import type { ArtifactStore } from '../artifacts/index.js';
import type { DuckSessionOptions } from '../columnar/index.js';
import type { Clock, RequestContext } from '../core/index.js';
import type { Db } from '../store/index.js';
import type { DatasetVersion } from './dataset.entity.js';
import type { DatasetRepository, DatasetRow } from './dataset.repository.js';
import type { VersionRegistrar } from './version-registrar.js';

/** What the parts of the dataset service share: its store, files, clock and lookups. */
export interface DatasetDeps {
  db: Db;
  artifacts: ArtifactStore;
  repo: DatasetRepository;
  registrar: VersionRegistrar;
  clock: Clock;
  session?: DuckSessionOptions | undefined;
  mustFind(ctx: RequestContext, name: string): Promise<DatasetRow>;
  version(ctx: RequestContext, name: string, version: number): Promise<DatasetVersion>;
}
