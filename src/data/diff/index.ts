// Comparing two dataset versions from their stored metadata (the engine; HTTP and CLI wire it elsewhere).
export { diffVersions, type VersionSummary } from './diff-versions.js';
export { categoryPsi, type Histogram, histogramPsi, PSI_EPSILON, psiOfCounts, rebin } from './psi.js';
export { diffSchemas } from './schema-diff.js';
