import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Backend, openTestStore, type TestStore } from '../../test/helpers/stores.js';
import { LocalArtifactStore } from '../artifacts/index.js';
import { DatasetService } from './dataset.service.js';

/** A DatasetService on a fresh store of `backend` and a fresh artifact directory, for one test file. */
export interface DatasetFixture {
  store: TestStore;
  datasets: DatasetService;
  /** The artifact root. */
  root: string;
  dispose(): Promise<void>;
}

export async function openDatasetFixture(backend: Backend): Promise<DatasetFixture> {
  const store = await openTestStore(backend);
  const root = await mkdtemp(join(tmpdir(), 'cyclops-artifacts-'));
  return {
    store,
    datasets: new DatasetService(store.store.db, new LocalArtifactStore(root)),
    root,
    async dispose() {
      await store.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}
