import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import type {
  TrainingDataRef,
  TrainingJobWire,
  TrainRequest,
  TrainResultWire,
} from '../../contracts/index.js';
import { readConfigFile } from '../config-file.js';
import { action, type CliContext } from '../context.js';
import { renderFields, renderJson, renderTable } from '../output.js';
import { ProgressLine } from '../progress.js';
import { UsageError } from '../usage-error.js';

interface TrainOptions {
  dataset: TrainingDataRef;
  target: string;
  algo: string;
  param: Record<string, string>;
  validation?: TrainingDataRef;
  test?: TrainingDataRef;
  task?: 'regression' | 'binary' | 'multiclass';
  features?: string[];
  transform?: string;
  seed?: number;
  experiment?: string;
  runName?: string;
  sliceBy?: string;
  permutation: boolean;
  wait: boolean;
  json?: boolean;
}

/** `NAME` or `NAME@VERSION`: a dataset version (the latest without a version). */
export function parseVersionRef(text: string): TrainingDataRef {
  const match = /^([^@]+?)(?:@(\d+))?$/.exec(text.trim());
  if (!match?.[1]) throw new InvalidArgumentError('expected DATASET or DATASET@VERSION');
  return { dataset: match[1], ...(match[2] ? { version: Number(match[2]) } : {}) };
}

/** Repeatable `--param name=value`. */
function collectParam(text: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected NAME=VALUE');
  return { ...previous, [text.slice(0, at).trim()]: text.slice(at + 1).trim() };
}

/** `cyclops train` and `cyclops training algorithms|jobs|show|cancel`, and `cyclops predict`. */
export function registerTraining(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description(
      'train a model on a dataset version (a run records params, losses, the evaluation and the model bundle)',
    )
    .requiredOption('--dataset <name[@version]>', 'the training data', parseVersionRef)
    .requiredOption('--target <column>', 'the column to predict')
    .requiredOption(
      '--algo <name>',
      "gbdt, random_forest, logistic or ridge ('cyclops training algorithms' lists their params)",
    )
    .option('--param <name=value>', 'a hyperparameter (repeatable): --param max_depth=6', collectParam, {})
    .option(
      '--validation <name[@version]>',
      'held-out data for early stopping and validation loss',
      parseVersionRef,
    )
    .option(
      '--test <name[@version]>',
      'data to evaluate the model on (default: the validation data, else the training data)',
      parseVersionRef,
    )
    .option('--task <task>', 'regression, binary or multiclass (default: inferred from the target)')
    .option('--features <columns>', 'comma-separated feature columns (default: all but the target)', (t) =>
      t
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    )
    .option(
      '--transform <file>',
      'a transform config (YAML/JSON steps) fitted on the training data and kept in the bundle',
    )
    .option('--seed <n>', 'seed of every random choice (default 0)', (t) => {
      const n = Number(t);
      if (!/^\d+$/.test(t) || n > 2 ** 32 - 1) throw new InvalidArgumentError('expected a whole number');
      return n;
    })
    .option('--experiment <name>', 'the experiment of the run (created if new; default: Default)')
    .option('--run-name <name>', 'a name for the run')
    .option('--slice-by <column>', 'also report metrics per value of this column')
    .option('--no-permutation', 'skip permutation feature importance')
    .option('--no-wait', 'start training and return (follow it with cyclops training show RUN_ID)')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (options: TrainOptions, cmd: Command) => {
        if (options.task && !['regression', 'binary', 'multiclass'].includes(options.task)) {
          throw new UsageError(
            `--task: '${options.task}' is not a task`,
            'use regression, binary or multiclass',
          );
        }
        const request: TrainRequest = {
          train: options.dataset,
          target: options.target,
          algorithm: options.algo,
          params: options.param,
          ...(options.validation ? { validation: options.validation } : {}),
          ...(options.test ? { test: options.test } : {}),
          ...(options.task ? { task: options.task } : {}),
          ...(options.features ? { features: options.features } : {}),
          ...(options.transform ? { transform: await readConfigFile(options.transform) } : {}),
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          ...(options.experiment ? { experiment: options.experiment } : {}),
          ...(options.runName ? { run_name: options.runName } : {}),
          ...(options.sliceBy ? { slice_by: options.sliceBy } : {}),
          ...(options.permutation ? {} : { permutation_importance: false }),
        };
        const client = ctx.client(cmd);
        const started = await client.training.start(request);
        if (!options.wait) {
          if (options.json) return ctx.out(renderJson(started));
          return ctx.out(
            `training ${started.algorithm}: run ${started.run_id} started\nfollow it with 'cyclops training show ${started.id}'\n`,
          );
        }
        const progress = new ProgressLine(
          ctx.deps.stderr === undefined && process.stderr.isTTY === true && !options.json,
        );
        let job: TrainingJobWire;
        try {
          job = await client.training.wait(started.id, {
            onProgress: (j) => progress.update(`training ${j.algorithm}`, j.progress.done, j.progress.total),
          });
        } finally {
          progress.end();
        }
        const result = job.result as TrainResultWire;
        if (options.json) return ctx.out(renderJson(result));
        ctx.out(describeResult(result));
      }),
    );

  const training = program.command('training').description('built-in algorithms and training jobs');

  training
    .command('algorithms')
    .description('list the built-in algorithms and their hyperparameters')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (options: { json?: boolean }, cmd: Command) => {
        const algorithms = await ctx.client(cmd).training.algorithms();
        if (options.json) return ctx.out(renderJson(algorithms));
        for (const a of algorithms) {
          ctx.out(`${a.name}: ${a.title} (${a.tasks.join(', ')})\n`);
          ctx.out(
            renderTable(
              ['PARAM', 'TYPE', 'DEFAULT', 'RANGE', 'WHAT'],
              a.params.map((p) => [
                p.name,
                p.type,
                String(p.default),
                p.values ? p.values.join('|') : range(p),
                p.description,
              ]),
            ),
          );
        }
      }),
    );

  training
    .command('jobs')
    .description('training jobs of the server, newest first')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (options: { json?: boolean }, cmd: Command) => {
        const jobs = await ctx.client(cmd).training.jobs();
        if (options.json) return ctx.out(renderJson(jobs));
        if (jobs.length === 0) return ctx.out("No training jobs. Start one with 'cyclops train'.\n");
        ctx.out(
          renderTable(
            ['RUN', 'ALGORITHM', 'STATUS', 'PROGRESS'],
            jobs.map((j) => [
              j.run_id,
              j.algorithm,
              j.status,
              `${j.progress.done}/${j.progress.total ?? '?'}`,
            ]),
          ),
        );
      }),
    );

  training
    .command('show')
    .description("a training job's status, progress and result")
    .argument('<run_id>', 'the run (job) id')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (id: string, options: { json?: boolean }, cmd: Command) => {
        const job = await ctx.client(cmd).training.job(id);
        if (options.json) return ctx.out(renderJson(job));
        ctx.out(
          renderFields([
            ['run', job.run_id],
            ['algorithm', job.algorithm],
            ['status', job.status],
            ['progress', `${job.progress.done}/${job.progress.total ?? '?'}`],
            ['error', job.error?.message],
          ]),
        );
        if (job.result) ctx.out(describeResult(job.result));
      }),
    );

  training
    .command('cancel')
    .description('stop a running training job')
    .argument('<run_id>', 'the run (job) id')
    .action(
      action(ctx, async (id: string, _options: unknown, cmd: Command) => {
        const job = await ctx.client(cmd).training.cancel(id);
        ctx.out(`training ${job.run_id}: ${job.status === 'running' ? 'cancelling' : job.status}\n`);
      }),
    );

  program
    .command('evaluate')
    .description("score a run's model bundle (trained here, or an uploaded ONNX bundle) on a dataset version")
    .requiredOption('--run <run_id>', 'the run holding the bundle under model/')
    .requiredOption(
      '--dataset <name[@version]>',
      'the data to score (it has the target column)',
      parseVersionRef,
    )
    .option('--slice-by <column>', 'also report metrics per value of this column')
    .option('--json', 'print JSON')
    .action(
      action(
        ctx,
        async (
          options: { run: string; dataset: TrainingDataRef; sliceBy?: string; json?: boolean },
          cmd: Command,
        ) => {
          const e = await ctx.client(cmd).training.evaluate(options.run, {
            data: options.dataset,
            ...(options.sliceBy ? { slice_by: options.sliceBy } : {}),
          });
          if (options.json) return ctx.out(renderJson(e));
          const shown = Object.entries(e.metrics).filter(([, v]) => v !== null);
          ctx.out(
            `run ${e.run_id} on ${e.dataset} version ${e.version} (${e.rows} rows):\n${renderFields(
              shown.map(([k, v]) => [`  ${k}`, (v as number).toPrecision(6)]),
            )}`,
          );
        },
      ),
    );

  program
    .command('predict')
    .description("predict rows with a training run's model bundle (its transform applied first)")
    .requiredOption('--run <run_id>', 'the training run')
    .requiredOption('--input <file>', "rows: a JSON array of objects, or JSON Lines ('-' for stdin)")
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (options: { run: string; input: string; json?: boolean }, cmd: Command) => {
        const rows = parseRows(
          options.input === '-' ? await readStdin() : await readInput(options.input),
          options.input,
        );
        const predictions = await ctx.client(cmd).training.predict(options.run, rows);
        if (options.json) return ctx.out(renderJson(predictions));
        ctx.out(
          renderTable(
            ['ROW', 'PREDICTION', 'PROBABILITIES'],
            predictions.map((p, i) => [
              i,
              String(p.prediction),
              p.probabilities
                ? Object.entries(p.probabilities)
                    .map(([c, v]) => `${c}=${v.toFixed(3)}`)
                    .join(' ')
                : '',
            ]),
          ),
        );
      }),
    );
}

function range(p: {
  min?: number | undefined;
  max?: number | undefined;
  exclusiveMin?: boolean | undefined;
}): string {
  if (p.min === undefined && p.max === undefined) return '';
  return `${p.min === undefined ? '' : `${p.exclusiveMin ? '>' : '>='} ${p.min}`}${p.min !== undefined && p.max !== undefined ? ', ' : ''}${
    p.max === undefined ? '' : `<= ${p.max}`
  }`;
}

function describeResult(r: TrainResultWire): string {
  const lines = [
    `trained ${r.algorithm} (${r.task}) on ${r.rows.train} rows in ${(r.duration_ms / 1000).toFixed(1)} s${
      r.iterations ? `, ${r.iterations} iterations` : ''
    }: run ${r.run_id}`,
  ];
  if (r.rows.dropped_missing_target > 0)
    lines.push(`left out ${r.rows.dropped_missing_target} rows without a target`);
  for (const s of r.skipped_columns) lines.push(`skipped column '${s.name}': ${s.reason}`);
  lines.push(`metrics on the ${r.evaluated_on} data:`);
  const shown = Object.entries(r.metrics).filter(([, v]) => v !== null);
  lines.push(renderFields(shown.map(([k, v]) => [`  ${k}`, (v as number).toPrecision(6)])).trimEnd());
  lines.push(
    `the model bundle is in the run's artifacts under ${r.bundle_path}/; predict with 'cyclops predict --run ${r.run_id} --input ROWS.json'`,
  );
  return `${lines.join('\n')}\n`;
}

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') throw new UsageError(`input file not found: ${file}`);
    throw err;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseRows(text: string, file: string): Record<string, unknown>[] {
  const trimmed = text.trim();
  try {
    const rows: unknown = trimmed.startsWith('[')
      ? JSON.parse(trimmed)
      : trimmed
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l));
    if (!Array.isArray(rows) || rows.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
      throw new Error('expected objects (one per row)');
    }
    return rows as Record<string, unknown>[];
  } catch (err) {
    throw new UsageError(
      `${file}: ${err instanceof Error ? err.message : String(err)}`,
      'give a JSON array of objects, or one JSON object per line',
    );
  }
}
