import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { ArtifactStore } from '../artifacts/index.js';
import type { IngestResult } from '../columnar/index.js';
import { type Clock, CyclopsError, type RequestContext } from '../core/index.js';
import { publishEvent } from '../events/index.js';
import { type Db, isUniqueViolation, type Tx, writeAudit } from '../store/index.js';
import { checkContract } from './contract.js';
import type { IngestOutcome, VersionSource } from './dataset.entity.js';
import { type DatasetRepository, storedSource, toContract, toVersion } from './dataset.repository.js';

export const VERSION_CREATED_TOPIC = 'dataset.version_created';

/** One table to register as a version: its snapshot on local disk and what it is. */
export interface VersionPlan {
  datasetName: string;
  /** Used when the plan creates the dataset; an existing dataset keeps its description. */
  description?: string | undefined;
  result: IngestResult;
  parquetPath: string;
  source: VersionSource;
  parent?: { datasetId: number; dataset: string; version: number } | undefined;
  /** The contract (stored JSON) a dataset this plan creates starts with. */
  contract?: string | undefined;
  /** A validation run on the table (the dataset's stored rules), kept with the new version. */
  validation?: { rules: unknown[]; report: { passed: boolean } } | undefined;
}

/**
 * Registers snapshots as versions, all of a call in one transaction: a split's train, validation and
 * test parts appear together or not at all. Content already registered in a dataset resolves to its
 * version (no copy). Each snapshot is stored under a path of its own, so a failed or deduplicated
 * attempt deletes only the file it wrote, never one a concurrent ingest of the same content relies on.
 */
export class VersionRegistrar {
  constructor(
    private readonly db: Db,
    private readonly artifacts: ArtifactStore,
    private readonly repo: DatasetRepository,
    private readonly clock: Clock,
  ) {}

  async register(ctx: RequestContext, plans: VersionPlan[]): Promise<IngestOutcome[]> {
    const known = await Promise.all(plans.map((p) => this.existing(ctx, p)));
    const written = new Map<VersionPlan, string>();
    const used = new Set<string>();
    try {
      for (const [i, plan] of plans.entries()) {
        if (known[i]) continue;
        const hash = plan.result.contentHash;
        const path = `datasets/${hash.slice(0, 2)}/${hash}-${randomUUID().slice(0, 8)}.parquet`;
        await this.artifacts.put(path, createReadStream(plan.parquetPath));
        written.set(plan, path);
      }
      const outcomes = await this.db.transaction().execute(async (trx) => {
        const out: IngestOutcome[] = [];
        // Datasets are locked in name order, so two multi-version registrations never deadlock.
        const order = [...plans.keys()].sort((a, b) =>
          plans[a]!.datasetName.localeCompare(plans[b]!.datasetName),
        );
        for (const i of order) out[i] = await this.registerOne(trx, ctx, plans[i]!, written.get(plans[i]!));
        return out;
      });
      for (const o of outcomes) if (o.created) used.add(o.version.artifactPath);
      return outcomes;
    } catch (err) {
      // The same content committed by a concurrent registration between our check and our insert.
      if (isUniqueViolation(err) && plans.length === 1) {
        const again = await this.existing(ctx, plans[0]!);
        if (again) return [again];
      }
      throw err;
    } finally {
      for (const path of written.values()) if (!used.has(path)) await this.artifacts.delete(path);
    }
  }

  private async existing(ctx: RequestContext, plan: VersionPlan): Promise<IngestOutcome | undefined> {
    const dataset = await this.repo.findDataset(this.db, ctx.projectId, plan.datasetName);
    if (!dataset) return undefined;
    const same = await this.repo.findVersionByHash(this.db, dataset.id, plan.result.contentHash);
    return same ? { created: false, version: toVersion(dataset.name, same) } : undefined;
  }

  private async registerOne(
    trx: Tx,
    ctx: RequestContext,
    plan: VersionPlan,
    artifactPath: string | undefined,
  ): Promise<IngestOutcome> {
    const now = this.clock.now();
    const { result } = plan;
    const dataset = await this.repo.lockOrCreate(trx, {
      project_id: ctx.projectId,
      name: plan.datasetName,
      description: plan.description ?? '',
      created_by: ctx.actor.name,
      created_at: now,
      schema_contract: plan.contract ?? null,
    });
    const same = await this.repo.findVersionByHash(trx, dataset.id, result.contentHash);
    if (same) return { created: false, version: toVersion(dataset.name, same) };
    if (!artifactPath)
      throw new CyclopsError('conflict', `Dataset '${dataset.name}' changed during the ingest; try again`);
    const contract = toContract(dataset);
    const check = contract ? checkContract(contract, result.schema.columns) : undefined;
    if (contract && check && !check.passed && contract.onViolation === 'reject') {
      throw new CyclopsError(
        'invalid_argument',
        `the data breaks the schema contract of dataset '${dataset.name}': ${check.violations.join('; ')}`,
        { dataset: dataset.name, violations: check.violations },
      );
    }
    const version = (await this.repo.maxVersion(trx, dataset.id)) + 1;
    const row = await this.repo.insertVersion(
      trx,
      {
        dataset_id: dataset.id,
        project_id: ctx.projectId,
        version,
        content_hash: result.contentHash,
        row_count: result.rowCount,
        bytes: result.bytes,
        schema: JSON.stringify(result.schema.columns),
        profile: JSON.stringify(result.profile),
        source: storedSource(plan.source),
        parent_dataset_id: plan.parent?.datasetId ?? null,
        parent_version: plan.parent?.version ?? null,
        schema_check: check ? JSON.stringify(check) : null,
        artifact_path: artifactPath,
        created_by: ctx.actor.name,
        created_at: now,
      },
      plan.parent?.dataset ?? null,
    );
    if (plan.validation) {
      await this.repo.insertReport(trx, {
        dataset_id: dataset.id,
        project_id: ctx.projectId,
        version,
        passed: plan.validation.report.passed,
        rules: JSON.stringify(plan.validation.rules),
        report: JSON.stringify(plan.validation.report),
        created_by: ctx.actor.name,
        created_at: now,
      });
    }
    const summary = { version, content_hash: result.contentHash, row_count: result.rowCount };
    await writeAudit(
      trx,
      ctx,
      { action: 'dataset.version_create', entityType: 'dataset', entityId: dataset.name, after: summary },
      now,
    );
    await publishEvent(trx, ctx.projectId, VERSION_CREATED_TOPIC, { dataset: dataset.name, ...summary });
    return { created: true, version: toVersion(dataset.name, row) };
  }
}
