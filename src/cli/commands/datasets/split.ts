import { type Command, InvalidArgumentError } from 'commander';
import type { SplitFractions, SplitRequest, SplitResponse, SplitSpec } from '../../../contracts/index.js';
import { action, type CliContext } from '../../context.js';
import { parsePositiveInt } from '../../options.js';
import { renderJson, renderTable } from '../../output.js';
import { UsageError } from '../../usage-error.js';

interface SplitOptions {
  train?: number;
  validation?: number;
  test?: number;
  key?: string;
  seed?: number;
  stratify?: string;
  time?: string;
  trainBefore?: string;
  testFrom?: string;
  withValidation?: boolean;
  into?: string;
  json?: boolean;
}

/** `datasets split`: train/validation/test versions with lineage to the version they came from. */
export function registerSplit(datasets: Command, ctx: CliContext): void {
  datasets
    .command('split')
    .description(
      'split a version into train/validation/test datasets (NAME-train, NAME-validation, NAME-test)',
    )
    .argument('<name>', 'the dataset name')
    .argument('[version]', 'the version to split (default: the latest)', parsePositiveInt)
    .option('--train <fraction>', 'share of rows for training (default 0.8 with --test 0.2)', parseFraction)
    .option('--validation <fraction>', 'share of rows for validation (default none)', parseFraction)
    .option('--test <fraction>', 'share of rows for testing', parseFraction)
    .option('--key <column>', 'hash this column, so rows with the same key land in the same part')
    .option('--seed <n>', 'seed of the hash (default 42)', parseSeed)
    .option('--stratify <column>', 'keep the class proportions of this (target) column in every part')
    .option('--time <column>', 'split by time: needs --train-before and --test-from')
    .option('--train-before <time>', 'with --time: rows before this go to train (e.g. 2015-01-01)')
    .option('--test-from <time>', 'with --time: rows from this on go to test')
    .option('--with-validation', 'with --time: rows between the two go to validation (else they are dropped)')
    .option('--into <prefix>', 'name the outputs PREFIX-train etc. (default: the dataset name)')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (name: string, n: number | undefined, options: SplitOptions, cmd: Command) => {
        const client = ctx.client(cmd);
        const version = n ?? (await client.datasets.get(name)).latest_version?.version;
        if (version === undefined) throw new UsageError(`dataset ${name} has no versions yet`);
        const request: SplitRequest = { spec: splitSpec(options) };
        if (options.into !== undefined) request.into = options.into;
        const result = await client.datasets.split(name, version, request);
        ctx.out(options.json ? renderJson(result) : renderSplit(result));
      }),
    );
}

function splitSpec(o: SplitOptions): SplitSpec {
  if (o.time !== undefined) {
    if (o.stratify !== undefined || o.key !== undefined || o.train !== undefined || o.test !== undefined) {
      throw new UsageError('--time splits by the time boundaries: drop --stratify, --key and the fractions');
    }
    if (o.trainBefore === undefined || o.testFrom === undefined) {
      throw new UsageError(
        '--time needs --train-before and --test-from',
        'e.g. --train-before 2015-01-01 --test-from 2015-07-01',
      );
    }
    return {
      method: 'time',
      column: o.time,
      train_before: o.trainBefore,
      test_from: o.testFrom,
      validation: o.withValidation === true,
    };
  }
  if (o.trainBefore !== undefined || o.testFrom !== undefined || o.withValidation) {
    throw new UsageError('--train-before, --test-from and --with-validation go with --time COLUMN');
  }
  const fractions = fractionsOf(o);
  const seed = o.seed === undefined ? {} : { seed: o.seed };
  const key = o.key === undefined ? {} : { key: o.key };
  if (o.stratify !== undefined)
    return { method: 'stratified', target: o.stratify, fractions, ...key, ...seed };
  return { method: 'random', fractions, ...key, ...seed };
}

/** The fractions given; a missing train or test takes what the others leave. */
function fractionsOf(o: SplitOptions): SplitFractions {
  const validation = o.validation ?? 0;
  let train = o.train;
  let test = o.test;
  if (train === undefined && test === undefined) {
    train = 0.8 * (1 - validation);
    test = 1 - validation - train;
  } else if (train === undefined) train = 1 - validation - (test ?? 0);
  else if (test === undefined) test = 1 - validation - train;
  const out: SplitFractions = { train: round(train), test: round(test ?? 0) };
  if (o.validation !== undefined) out.validation = o.validation;
  return out;
}

// 1 - 0.7 is 0.30000000000000004: keep the fractions as a person wrote them.
const round = (x: number) => Math.round(x * 1e12) / 1e12;

function parseFraction(text: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || x < 0 || x > 1) {
    throw new InvalidArgumentError('expected a fraction between 0 and 1, e.g. 0.2');
  }
  return x;
}

function parseSeed(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('expected a whole number');
  return n;
}

function renderSplit(r: SplitResponse): string {
  const head = `split ${r.parent.dataset} version ${r.parent.version} (${r.spec.method}):\n`;
  const table = renderTable(
    ['PART', 'DATASET', 'VERSION', 'ROWS'],
    r.splits.map((s) => [s.name, s.version.dataset, s.version.version, s.row_count]),
  );
  const dropped = r.dropped.missing_time + r.dropped.between_boundaries;
  const tail =
    dropped > 0
      ? `dropped ${dropped} rows (${r.dropped.missing_time} with no time, ${r.dropped.between_boundaries} between the boundaries)\n`
      : '';
  return `${head}${table}${tail}`;
}
