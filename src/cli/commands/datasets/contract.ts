import type { Command } from 'commander';
import { Option } from 'commander';
import type { SchemaContract, SetContractBody } from '../../../contracts/index.js';
import { action, type CliContext } from '../../context.js';
import { parsePositiveInt } from '../../options.js';
import { renderJson, renderTable } from '../../output.js';

interface ContractOptions {
  fromVersion?: number;
  target?: string;
  warnOnly?: boolean;
  clear?: boolean;
  json?: boolean;
}

/** `datasets contract`: show, declare or drop the schema every new version is checked against. */
export function registerContract(datasets: Command, ctx: CliContext): void {
  datasets
    .command('contract')
    .description(
      'show the schema contract of a dataset, or declare it from a version (new versions are checked against it)',
    )
    .argument('<name>', 'the dataset name')
    .option(
      '--from-version <n>',
      'declare the contract from this version (default: the latest)',
      parsePositiveInt,
    )
    .option('--target <column>', 'declare the target column (what models predict)')
    .addOption(new Option('--warn-only', 'register violating versions anyway, with the violations recorded'))
    .addOption(new Option('--clear', 'drop the contract').conflicts(['fromVersion', 'target', 'warnOnly']))
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (name: string, options: ContractOptions, cmd: Command) => {
        const client = ctx.client(cmd);
        if (options.clear) {
          await client.datasets.clearContract(name);
          return ctx.out(
            options.json ? renderJson({ contract: null }) : `Dataset ${name} has no contract now.\n`,
          );
        }
        const declare = options.fromVersion !== undefined || options.target !== undefined || options.warnOnly;
        let contract: SchemaContract | undefined;
        if (declare) {
          const body: SetContractBody = { on_violation: options.warnOnly ? 'warn' : 'reject' };
          if (options.fromVersion !== undefined) body.from_version = options.fromVersion;
          if (options.target !== undefined) body.target = options.target;
          contract = await client.datasets.setContract(name, body);
        } else {
          contract = (await client.datasets.get(name)).contract;
        }
        if (options.json) return ctx.out(renderJson({ contract: contract ?? null }));
        if (!contract) {
          return ctx.out(
            `Dataset ${name} has no contract. Declare one with 'cyclops datasets contract ${name} --from-version N [--target COLUMN]'.\n`,
          );
        }
        ctx.out(renderContract(name, contract));
      }),
    );
}

function renderContract(name: string, c: SchemaContract): string {
  const from = c.from_version === undefined ? '' : ` (from version ${c.from_version})`;
  const policy =
    c.on_violation === 'reject' ? 'versions that break it are refused' : 'violations are recorded';
  const head = `contract of ${name}${from}: ${policy}\n`;
  return `${head}${renderTable(
    ['COLUMN', 'TYPE', 'NULLABLE', 'TARGET'],
    c.columns.map((col) => [
      col.name,
      col.type,
      col.nullable ? 'yes' : 'no',
      col.name === c.target ? 'yes' : '',
    ]),
  )}`;
}
