export { MAX_ARTIFACT_PATH_LENGTH, validateArtifactPath, validateArtifactPrefix } from './artifact-path.js';
export type {
  ArtifactData,
  ArtifactEntry,
  ArtifactStat,
  ArtifactStore,
  ListOptions,
  PutOptions,
  PutResult,
} from './artifact-store.js';
export { LocalArtifactStore, UPLOAD_DIR } from './local-artifact-store.js';
