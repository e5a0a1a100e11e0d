/**
 * The profile (summary statistics: counts, moments, quantiles, histograms, top values, correlations)
 * of each dataset version, computed at ingest. A small, bounded summary, so it lives with the version's
 * metadata; the rows themselves stay in the Parquet snapshot. Null for versions ingested before.
 */
export const datasetProfiles = `
ALTER TABLE dataset_versions ADD COLUMN profile jsonb;
`;
