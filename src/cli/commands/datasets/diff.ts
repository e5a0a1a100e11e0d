import type { Command } from 'commander';
import type { DatasetDiffResponse } from '../../../contracts/index.js';
import { action, type CliContext } from '../../context.js';
import { parsePositiveInt } from '../../options.js';
import { formatMetric, renderJson, renderTable } from '../../output.js';

type Diff = DatasetDiffResponse['diff'];

/** `datasets diff`: what changed between two versions. */
export function registerDiff(datasets: Command, ctx: CliContext): void {
  datasets
    .command('diff')
    .description('compare two versions: schema changes, row counts, per-column statistics and PSI')
    .argument('<name>', 'the dataset name')
    .argument('<from>', 'the older version', parsePositiveInt)
    .argument('[to]', 'the newer version (default: the latest)', parsePositiveInt)
    .option('--json', 'print JSON')
    .action(
      action(
        ctx,
        async (
          name: string,
          from: number,
          to: number | undefined,
          options: { json?: boolean },
          cmd: Command,
        ) => {
          const client = ctx.client(cmd);
          const target = to ?? (await client.datasets.get(name)).latest_version?.version ?? from;
          const diff = await client.datasets.diff(name, from, target);
          ctx.out(options.json ? renderJson({ dataset: name, diff }) : renderDiff(name, diff));
        },
      ),
    );
}

function renderDiff(name: string, d: Diff): string {
  const rows = d.row_count;
  const lines = [
    `dataset ${name}: version ${d.from_version} -> ${d.to_version}`,
    `rows: ${rows.from} -> ${rows.to} (${rows.delta >= 0 ? '+' : ''}${rows.delta})`,
  ];
  const s = d.schema;
  for (const c of s.added) lines.push(`+ column ${c.name} (${c.type})`);
  for (const c of s.removed) lines.push(`- column ${c.name} (${c.type})`);
  for (const c of s.type_changed) lines.push(`~ column ${c.name}: ${c.from} -> ${c.to}`);
  for (const c of s.nullability_changed) lines.push(`~ column ${c.name}: nullable ${c.from} -> ${c.to}`);
  const num = (v: number | null | undefined) => (v === null || v === undefined ? '-' : formatMetric(v));
  const change = (c: { from: number | null; to: number | null } | null | undefined) =>
    c ? `${num(c.from)} -> ${num(c.to)}` : undefined;
  const table = renderTable(
    ['COLUMN', 'MISSING', 'MEAN', 'STD', 'PSI'],
    d.columns.map((c) => [
      c.name,
      change(c.missing_fraction),
      change(c.numeric?.mean),
      change(c.numeric?.std),
      c.psi.value === null ? undefined : `${num(c.psi.value)}${c.psi.approximate ? ' (approx.)' : ''}`,
    ]),
  );
  return `${lines.join('\n')}\n${table}`;
}
