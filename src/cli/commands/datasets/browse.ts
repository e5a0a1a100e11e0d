import type { Command } from 'commander';
import type { Dataset, DatasetVersion, TableProfile } from '../../../contracts/index.js';
import { action, type CliContext } from '../../context.js';
import { parsePositiveInt } from '../../options.js';
import { formatMetric, formatTime, renderFields, renderJson, renderTable } from '../../output.js';

/** `datasets list|show|profile`: reading what is there. */
export function registerBrowse(datasets: Command, ctx: CliContext): void {
  datasets
    .command('list')
    .description('list datasets')
    .option('--name-like <pattern>', "only names matching this SQL LIKE pattern, e.g. 'churn%'")
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (options: { nameLike?: string; json?: boolean }, cmd: Command) => {
        const found: Dataset[] = [];
        for await (const dataset of ctx.client(cmd).datasets.listAll({ name_like: options.nameLike })) {
          found.push(dataset);
        }
        if (options.json) return ctx.out(renderJson(found));
        if (found.length === 0) {
          return ctx.out("No datasets. Ingest one with 'cyclops datasets ingest FILE --name NAME'.\n");
        }
        ctx.out(
          renderTable(
            ['NAME', 'VERSIONS', 'LATEST', 'ROWS', 'CREATED'],
            found.map((d) => [
              d.name,
              d.version_count,
              d.latest_version?.version,
              d.latest_version?.row_count,
              formatTime(d.created_at),
            ]),
          ),
        );
      }),
    );

  datasets
    .command('show')
    .description('show a dataset and its latest (or a given) version, with the schema')
    .argument('<name>', 'the dataset name')
    // A positional, not --version: the root command's --version would take that flag anywhere on the line.
    .argument('[version]', 'the version to show (default: the latest)', parsePositiveInt)
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (name: string, n: number | undefined, options: { json?: boolean }, cmd: Command) => {
        const client = ctx.client(cmd);
        const dataset = await client.datasets.get(name);
        const version = n === undefined ? dataset.latest_version : await client.datasets.version(name, n);
        if (options.json) return ctx.out(renderJson({ dataset, version: version ?? null }));
        ctx.out(renderDataset(dataset, version));
      }),
    );

  datasets
    .command('profile')
    .description('show the profile of the latest (or a given) version: per-column statistics')
    .argument('<name>', 'the dataset name')
    .argument('[version]', 'the version to profile (default: the latest)', parsePositiveInt)
    .option('--json', 'print JSON (with histograms, quantiles, top values and correlations)')
    .action(
      action(ctx, async (name: string, n: number | undefined, options: { json?: boolean }, cmd: Command) => {
        const client = ctx.client(cmd);
        const version = n ?? (await client.datasets.get(name)).latest_version?.version;
        if (version === undefined) return ctx.out(`Dataset ${name} has no versions yet.\n`);
        const profile = await client.datasets.profile(name, version);
        if (options.json) return ctx.out(renderJson({ dataset: name, version, profile }));
        ctx.out(`dataset ${name} version ${version}\n${renderProfile(profile)}`);
      }),
    );
}

function renderProfile(p: TableProfile): string {
  if (p.columns.length === 0) return '(no columns)\n';
  const num = (v: number | null | undefined) => (v === null || v === undefined ? undefined : formatMetric(v));
  return renderTable(
    ['COLUMN', 'KIND', 'MISSING', 'DISTINCT', 'MEAN', 'STD', 'MIN', 'P50', 'MAX', 'TOP'],
    p.columns.map((c) => {
      const top = c.top?.[0];
      return [
        c.name,
        c.kind,
        c.missing,
        c.distinct,
        num(c.numeric?.mean),
        num(c.numeric?.std),
        c.range ? (c.range.min ?? undefined) : num(c.numeric?.min),
        num(c.numeric?.quantiles.find((q) => q.p === 0.5)?.value),
        c.range ? (c.range.max ?? undefined) : num(c.numeric?.max),
        top === undefined ? undefined : `${top.value} (${top.count})`,
      ];
    }),
  );
}

function renderDataset(d: Dataset, v: DatasetVersion | undefined): string {
  const head = renderFields([
    ['Name', d.name],
    ['Description', d.description || undefined],
    ['Versions', d.version_count],
    ['Created by', d.created_by],
    ['Created', formatTime(d.created_at)],
  ]);
  if (v === undefined) return `${head}\nNo versions yet.\n`;
  const source = [v.source.kind, v.source.format, v.source.file_name, v.source.server, v.source.split]
    .filter((s) => s !== undefined)
    .join(', ');
  const fields = renderFields([
    ['Version', v.version],
    ['Rows', v.row_count],
    ['Columns', v.schema.length],
    ['Bytes', v.bytes],
    ['Content hash', v.content_hash],
    ['Source', source],
    ['Parent', v.parent ? `${v.parent.dataset} version ${v.parent.version}` : undefined],
    ['Artifact', v.artifact_path],
    ['Created by', v.created_by],
    ['Created', formatTime(v.created_at)],
  ]);
  const schema =
    v.schema.length === 0
      ? 'Schema: (no columns)\n'
      : `Schema:\n${renderTable(
          ['COLUMN', 'TYPE', 'KIND', 'NULLABLE'],
          v.schema.map((c) => [c.name, c.type, c.kind, c.nullable ? 'yes' : 'no']),
        )}`;
  return `${head}\n${fields}\n${schema}`;
}
