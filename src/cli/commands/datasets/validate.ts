import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { StoredValidationReport } from '../../../contracts/index.js';
import { action, type CliContext } from '../../context.js';
import { parsePositiveInt } from '../../options.js';
import { formatMetric, renderJson, renderTable } from '../../output.js';
import { UsageError } from '../../usage-error.js';

interface ValidateOptions {
  rules?: string;
  save?: boolean;
  json?: boolean;
}

/** A failed validation ends the command with exit code 1, so scripts and CI can gate on it. */
class ValidationFailed extends Error {
  readonly code = 'validation_failed';
}

/** `datasets validate`: run rules on a version, store the report, and optionally save the rules. */
export function registerValidate(datasets: Command, ctx: CliContext): void {
  datasets
    .command('validate')
    .description('validate a version with a rules file (YAML or JSON), or the rules saved on the dataset')
    .argument('<name>', 'the dataset name')
    .argument('[version]', 'the version to validate (default: the latest)', parsePositiveInt)
    .option('--rules <file>', 'the rules file; without it, the rules saved with --save earlier')
    .option('--save', 'also save the rules on the dataset: every new version will be validated with them')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (name: string, n: number | undefined, options: ValidateOptions, cmd: Command) => {
        const client = ctx.client(cmd);
        if (options.save && options.rules === undefined) throw new UsageError('--save needs --rules FILE');
        const request = options.rules === undefined ? {} : await readRules(options.rules);
        if (options.save) await client.datasets.saveRules(name, request);
        const version = n ?? (await client.datasets.get(name)).latest_version?.version;
        if (version === undefined) throw new UsageError(`dataset ${name} has no versions yet`);
        const result = await client.datasets.validate(name, version, request);
        ctx.out(options.json ? renderJson(result) : renderReport(result, options.save === true));
        if (!result.passed) {
          throw new ValidationFailed(
            `${name} version ${version} failed validation: ${result.report.error_count} rule(s) with severity error failed`,
          );
        }
      }),
    );
}

async function readRules(file: string): Promise<{ document: string; file_name: string }> {
  try {
    return { document: await readFile(file, 'utf8'), file_name: basename(file) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') throw new UsageError(`rules file not found: ${file}`);
    throw err;
  }
}

function renderReport(r: StoredValidationReport, saved: boolean): string {
  const rep = r.report;
  const head = `${r.dataset} version ${r.version}: ${rep.passed ? 'PASSED' : 'FAILED'} (${rep.error_count} errors, ${rep.warning_count} warnings, ${rep.row_count} rows)${saved ? '; rules saved on the dataset' : ''}\n`;
  const table = renderTable(
    ['RULE', 'SEVERITY', 'RESULT', 'FAILING', 'FRACTION', 'MESSAGE'],
    rep.results.map((x) => [
      x.name,
      x.severity,
      x.passed ? 'pass' : 'FAIL',
      x.failing_count ?? undefined,
      x.failing_fraction === null ? undefined : formatMetric(x.failing_fraction),
      x.message,
    ]),
  );
  const samples = rep.results
    .filter((x) => !x.passed && x.samples.length > 0)
    .map(
      (x) =>
        `${x.name}: rows ${x.samples.map((s) => s.row).join(', ')}${x.failing_count !== null && x.failing_count > x.samples.length ? ', ...' : ''}`,
    );
  return `${head}${table}${samples.length > 0 ? `sample rows (0-based):\n  ${samples.join('\n  ')}\n` : ''}`;
}
