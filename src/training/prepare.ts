import { type DuckSession, sqlIdent } from '../columnar/index.js';
import type { DatasetRef, TransformSpec } from '../contracts/index.js';
import { invalid, type RequestContext } from '../core/index.js';
import type { DatasetService } from '../data/index.js';
import { applyTransformsSql, fitTransforms, parseTransformConfig } from '../features/index.js';
import { algorithmNamed, checkAlgorithmTask } from './algorithms/registry.js';
import { type FeatureSchema, inferFeatureSchema, targetSql } from './data/feature-schema.js';
import { checkFeaturesHaveValues, loadTrainingData } from './data/load-matrix.js';
import type { TrainingData } from './model.entity.js';
import type { TrainInput } from './training.entity.js';

/** Everything a fit needs, loaded and checked: what the API waits for before it answers. */
export interface Prepared {
  schema: FeatureSchema;
  transform: TransformSpec | null;
  /** The columns (and types) a caller sends the model: the training table's, minus the target. */
  inputs: { name: string; type: 'integer' | 'float' | 'boolean' | 'string' | 'date' | 'timestamp' }[];
  train: TrainingData;
  validation: TrainingData | null;
  test: TrainingData | null;
  /** The evaluation data's values of `sliceBy`, as text (null when missing), in row order. */
  sliceKeys: (string | null)[] | null;
  lineage: DatasetRef[];
  droppedMissingTarget: number;
}

/**
 * Loads the training (and validation and test) versions into one DuckDB session, fits the transform on
 * the training data and applies it to all of them, decides the features and the task from the training
 * data, and reads each as a feature matrix. Every problem with the input is found here, before a run is
 * created: an unknown algorithm or column, a constant target, an all-missing feature.
 */
export async function prepareTraining(
  ctx: RequestContext,
  datasets: DatasetService,
  input: TrainInput,
): Promise<Prepared> {
  const algorithm = algorithmNamed(input.algorithm);
  const refs = [
    { role: 'train' as const, ref: input.train },
    ...(input.validation ? [{ role: 'validation' as const, ref: input.validation }] : []),
    ...(input.test ? [{ role: 'test' as const, ref: input.test }] : []),
  ];
  const lineage: DatasetRef[] = [];
  for (const { role, ref } of refs) {
    const v = await datasets.resolveVersion(ctx, ref.dataset, ref.version);
    lineage.push({ dataset: v.dataset, version: v.version, role });
  }
  const config =
    input.transform === undefined || input.transform === null ? null : parseTransformConfig(input.transform);
  return datasets.withVersionTables(
    ctx,
    lineage.map((l) => ({ name: l.dataset, version: l.version })),
    async (session, tables) => {
      const inputs = await describeInputs(session, tables[0] as string, input.target);
      let transform: TransformSpec | null = null;
      let ready = tables;
      if (config) {
        transform = (await fitTransforms(session, tables[0] as string, config)) as TransformSpec;
        ready = [];
        for (const [i, table] of tables.entries()) {
          const out = `transformed_${i}`;
          await keepTarget(session, table, transform, input.target, out);
          ready.push(out);
        }
      }
      const schema = await inferFeatureSchema(session, ready[0] as string, {
        target: input.target,
        task: input.task,
        features: input.features,
      });
      checkAlgorithmTask(algorithm, schema.task);
      const roles = refs.map((r) => r.role);
      let dropped = 0;
      const load = async (role: 'train' | 'validation' | 'test') => {
        const i = roles.indexOf(role);
        if (i < 0) return null;
        const loaded = await loadTrainingData(session, ready[i] as string, schema, `the ${role} data`);
        dropped += loaded.droppedRows;
        return loaded.data;
      };
      const train = (await load('train')) as TrainingData;
      checkFeaturesHaveValues(train.x);
      const validation = await load('validation');
      const test = await load('test');
      const evalIndex = roles.indexOf(test ? 'test' : validation ? 'validation' : 'train');
      const sliceKeys = input.sliceBy
        ? await readSliceKeys(
            session,
            tables[evalIndex] as string,
            input.sliceBy,
            schema,
            ready[evalIndex] as string,
          )
        : null;
      return {
        schema,
        transform,
        inputs: inputs.filter((c) => c.name !== input.target),
        train,
        validation,
        test,
        sliceKeys,
        lineage,
        droppedMissingTarget: dropped,
      };
    },
  );
}

async function describeInputs(
  session: DuckSession,
  table: string,
  target: string,
): Promise<Prepared['inputs']> {
  const rows = await session.rows(`DESCRIBE ${sqlIdent(table)}`);
  const columns = rows.map((r) => ({ name: String(r.column_name), type: columnType(String(r.column_type)) }));
  if (!columns.some((c) => c.name === target)) {
    throw invalid(`target '${target}': no such column (columns: ${columns.map((c) => c.name).join(', ')})`, {
      field: 'target',
    });
  }
  return columns;
}

function columnType(duckType: string): Prepared['inputs'][number]['type'] {
  if (/INT/.test(duckType)) return 'integer';
  if (/DOUBLE|FLOAT|REAL|DECIMAL/.test(duckType)) return 'float';
  if (duckType === 'BOOLEAN') return 'boolean';
  if (duckType === 'DATE') return 'date';
  if (duckType.startsWith('TIMESTAMP')) return 'timestamp';
  return 'string';
}

/**
 * Applies the transform and keeps the target beside its outputs (a transform may drop or rewrite the
 * target's column, but the model still learns the original target), in the table's row order.
 */
export async function keepTarget(
  session: DuckSession,
  table: string,
  spec: TransformSpec,
  target: string,
  out: string,
): Promise<void> {
  const transformed = `${out}_features`;
  await session.run(
    `CREATE TABLE ${sqlIdent(`${out}_source`)} AS SELECT *, rowid AS __row FROM ${sqlIdent(table)}`,
  );
  await applyTransformsSql(session, spec, table, transformed);
  const outputs = spec.outputs.filter((c) => c.name !== target).map((c) => `f.${sqlIdent(c.name)}`);
  await session.run(
    `CREATE TABLE ${sqlIdent(out)} AS SELECT ${[...outputs, `s.${sqlIdent(target)}`].join(', ')}
     FROM (SELECT *, rowid AS __row FROM ${sqlIdent(transformed)}) AS f
     JOIN ${sqlIdent(`${out}_source`)} AS s USING (__row) ORDER BY __row`,
  );
}

/** The slice column's values (as text) of the evaluation rows that have a target, in row order. */
export async function readSliceKeys(
  session: DuckSession,
  rawTable: string,
  column: string,
  schema: FeatureSchema,
  readyTable: string,
): Promise<(string | null)[]> {
  const columns = (await session.rows(`DESCRIBE ${sqlIdent(rawTable)}`)).map((r) => String(r.column_name));
  if (!columns.includes(column)) {
    throw invalid(`slice_by: no column '${column}' in the evaluation data (columns: ${columns.join(', ')})`, {
      field: 'slice_by',
    });
  }
  // The rows loadTrainingData kept (those with a known target), matched by position (rowid).
  const rows = await session.rows(
    `SELECT CAST(r.${sqlIdent(column)} AS VARCHAR) AS k
     FROM (SELECT *, rowid AS __row FROM ${sqlIdent(rawTable)}) AS r
     JOIN (SELECT (${targetSql(schema)}) AS __target, rowid AS __row FROM ${sqlIdent(readyTable)}) AS t
     USING (__row) WHERE t.__target IS NOT NULL ORDER BY __row`,
  );
  return rows.map((r) => (r.k === null ? null : String(r.k)));
}
