import type { Command } from 'commander';
import type { CliContext } from '../../context.js';
import { registerBrowse } from './browse.js';
import { registerContract } from './contract.js';
import { registerDiff } from './diff.js';
import { registerIngest } from './ingest.js';
import { registerSplit } from './split.js';
import { registerValidate } from './validate.js';

export function registerDatasets(program: Command, ctx: CliContext): void {
  const datasets = program
    .command('datasets')
    .description('ingest, version, validate, profile and split datasets');
  registerIngest(datasets, ctx);
  registerBrowse(datasets, ctx);
  registerContract(datasets, ctx);
  registerValidate(datasets, ctx);
  registerSplit(datasets, ctx);
  registerDiff(datasets, ctx);
}
