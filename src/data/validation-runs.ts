import type { DuckSession } from '../columnar/index.js';
import type { ValidationReport, ValidationRule } from '../contracts/index.js';
import { CyclopsError, invalid, notFound, type RequestContext } from '../core/index.js';
import { writeAudit } from '../store/index.js';
import type { ColumnSchema, SchemaContract } from './dataset.entity.js';
import { toContract } from './dataset.repository.js';
import type { DatasetDeps } from './dataset-deps.js';
import { loadVersion } from './derive-split.js';
import { checkRules, validateTable } from './validation/index.js';
import { withScratch } from './version-source.js';

/** A validation report as stored with a version: which rules ran, who ran them, when. */
export interface StoredReport {
  id: number;
  dataset: string;
  version: number;
  passed: boolean;
  rules: ValidationRule[];
  report: ValidationReport;
  createdBy: string;
  createdAt: number;
}

/**
 * Runs rules on a version's table. A `schema` rule without columns compares with the dataset's contract.
 * Rules that no longer fit the data (a column they name is gone) are reported as not applicable,
 * naming the rule, rather than as an internal failure.
 */
export async function runRules(
  session: DuckSession,
  table: string,
  rules: ValidationRule[],
  schema: ColumnSchema[],
  contract: SchemaContract | undefined,
  /** Set for the saved rules run at ingest: their errors then say the rules no longer fit new data. */
  what?: string,
): Promise<ValidationReport> {
  try {
    return await validateTable(session, table, rules, {
      schema,
      ...(contract ? { contract: contract.columns } : {}),
    });
  } catch (err) {
    if (what !== undefined && err instanceof CyclopsError && err.code === 'invalid_argument') {
      throw new CyclopsError(
        'invalid_argument',
        `the validation rules do not apply to ${what}: ${err.message}`,
        {
          ...err.details,
        },
      );
    }
    throw err;
  }
}

/** Saved rules of a dataset, and validation runs of its versions with their stored reports. */
export class ValidationRuns {
  constructor(private readonly deps: DatasetDeps) {}

  /**
   * Saves the validation rules every new version of the dataset is checked with (null drops them).
   * They are checked against the latest version's schema now, so a typo fails here, not at the next ingest.
   */
  async setRules(ctx: RequestContext, name: string, rules: ValidationRule[] | null): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await this.deps.repo.lock(trx, ctx.projectId, name);
      if (!row) throw notFound('Dataset', name);
      if (rules) {
        const latest = await this.deps.repo.version(
          trx,
          row.id,
          await this.deps.repo.maxVersion(trx, row.id),
        );
        const contract = toContract(row);
        if (latest) {
          checkRules(rules, latest.schema as ColumnSchema[], contract ? { contract: contract.columns } : {});
        }
      }
      await this.deps.repo.setRules(trx, row.id, rules ? JSON.stringify(rules) : null);
      await writeAudit(
        trx,
        ctx,
        {
          action: rules ? 'dataset.rules_set' : 'dataset.rules_clear',
          entityType: 'dataset',
          entityId: name,
          before: row.validation_rules ?? undefined,
          after: rules ?? undefined,
        },
        this.deps.clock.now(),
      );
    });
  }

  /**
   * Validates a version with the given rules, or the dataset's saved ones, and stores the report with
   * the version (a version can be validated any number of times; each report is kept).
   */
  async validate(
    ctx: RequestContext,
    name: string,
    version: number,
    rules?: ValidationRule[] | undefined,
  ): Promise<StoredReport> {
    const row = await this.deps.mustFind(ctx, name);
    const v = await this.deps.version(ctx, name, version);
    const toRun = rules ?? (row.validation_rules as ValidationRule[] | null);
    if (!toRun) {
      throw invalid(
        `Dataset '${name}' has no saved validation rules: pass rules, or save them on the dataset first`,
        { field: 'rules' },
      );
    }
    const report = await withScratch(this.deps.session, async (session, dir) => {
      const loaded = await loadVersion(session, this.deps.artifacts, v, dir, 'version');
      return runRules(session, loaded.table, toRun, v.schema, toContract(row));
    });
    const now = this.deps.clock.now();
    const id = await this.deps.db.transaction().execute(async (trx) => {
      const reportId = await this.deps.repo.insertReport(trx, {
        dataset_id: row.id,
        project_id: ctx.projectId,
        version,
        passed: report.passed,
        rules: JSON.stringify(toRun),
        report: JSON.stringify(report),
        created_by: ctx.actor.name,
        created_at: now,
      });
      await writeAudit(
        trx,
        ctx,
        {
          action: 'dataset.validate',
          entityType: 'dataset',
          entityId: `${name}@${version}`,
          after: {
            report: reportId,
            passed: report.passed,
            errors: report.error_count,
            warnings: report.warning_count,
          },
        },
        now,
      );
      return reportId;
    });
    return {
      id,
      dataset: name,
      version,
      passed: report.passed,
      rules: toRun,
      report,
      createdBy: ctx.actor.name,
      createdAt: now,
    };
  }

  /** The validation reports of a version, newest first. */
  async reports(ctx: RequestContext, name: string, version: number): Promise<StoredReport[]> {
    const row = await this.deps.mustFind(ctx, name);
    await this.deps.version(ctx, name, version);
    return (await this.deps.repo.reports(this.deps.db, row.id, version)).map((r) => ({
      id: r.id,
      dataset: name,
      version: r.version,
      passed: r.passed,
      rules: r.rules as ValidationRule[],
      report: r.report as ValidationReport,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }
}
