import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type {
  Dataset,
  DatasetVersion,
  IngestResponse,
  TableFormat,
  TableProfile,
} from '../../contracts/index.js';
import { TABLE_FORMATS } from '../../contracts/index.js';
import { action, type CliContext } from '../context.js';
import { parsePositiveInt } from '../options.js';
import { formatMetric, formatTime, renderFields, renderJson, renderTable } from '../output.js';
import { UsageError } from '../usage-error.js';

interface IngestOptions {
  name: string;
  format?: TableFormat;
  delimiter?: string;
  quote?: string;
  header: boolean;
  encoding?: string;
  description?: string;
  json?: boolean;
}

const FORMAT_BY_EXTENSION: Readonly<Record<string, TableFormat>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** Files smaller than this upload too fast for a progress line to help. */
const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

export function registerDatasets(program: Command, ctx: CliContext): void {
  const datasets = program.command('datasets').description('ingest, list and inspect versioned datasets');

  datasets
    .command('ingest')
    .description('upload a table file as the next version of a dataset (created if new)')
    .argument('<file>', 'a CSV, TSV, Parquet, JSON or JSON Lines file')
    .requiredOption('--name <dataset>', 'the dataset to add a version to')
    .addOption(
      new Option('--format <format>', 'the file format (default: from the file extension)').choices(
        TABLE_FORMATS,
      ),
    )
    .option('--delimiter <char>', 'CSV/TSV field separator (one character)', parseChar)
    .option('--quote <char>', 'CSV/TSV quote character (one character)', parseChar)
    .option('--no-header', 'CSV/TSV: the first line is data, not column names')
    .option('--encoding <encoding>', 'text encoding of the file, e.g. utf-8 or latin1')
    .option('--description <text>', 'a description for a new dataset')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (file: string, options: IngestOptions, cmd: Command) => {
        const format = options.format ?? formatFromExtension(file);
        const size = await fileSize(file);
        const client = ctx.client(cmd);
        const body = fileStream(file, size, ctx);
        const result = await client.datasets.ingest(options.name, body, {
          format,
          fileName: basename(file),
          // Only sent when --no-header says so: the server's default applies otherwise.
          header: options.header ? undefined : false,
          delimiter: options.delimiter,
          quote: options.quote,
          encoding: options.encoding,
          description: options.description,
        });
        ctx.out(options.json ? renderJson(result) : summarizeIngest(result));
      }),
    );

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

/** One character; `\\t` (as typed in a shell) means a tab. */
function parseChar(text: string): string {
  const value = text === '\\t' ? '\t' : text;
  if ([...value].length !== 1) throw new InvalidArgumentError('expected one character, e.g. ; or \\t');
  return value;
}

function formatFromExtension(file: string): TableFormat {
  const ext = extname(file).toLowerCase();
  const format = FORMAT_BY_EXTENSION[ext];
  if (format === undefined) {
    throw new UsageError(
      `cannot tell the format of '${file}' from its ${ext ? `extension '${ext}'` : 'name (no extension)'}`,
      `pass --format ${TABLE_FORMATS.join('|')}`,
    );
  }
  return format;
}

async function fileSize(file: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new UsageError(
        `file not found: ${file}`,
        'check the path (it is read on this machine, not the server)',
      );
    }
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`cannot read ${file}: permission denied`);
    throw err;
  }
  if (!info.isFile()) throw new UsageError(`not a file: ${file}`);
  return Number(info.size);
}

/** The file as a web stream for fetch, with a percentage on stderr when a person watches a big upload. */
function fileStream(file: string, size: number, ctx: CliContext): ReadableStream<Uint8Array> {
  const stream = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
  const showProgress =
    ctx.deps.stderr === undefined && process.stderr.isTTY === true && size >= PROGRESS_MIN_BYTES;
  if (!showProgress) return stream;
  let sent = 0;
  let shown = -1;
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.byteLength;
        const percent = Math.floor((sent / size) * 100);
        if (percent !== shown) {
          shown = percent;
          process.stderr.write(`\ruploading ${basename(file)}: ${percent}%`);
        }
        controller.enqueue(chunk);
      },
      flush() {
        process.stderr.write('\n');
      },
    }),
  );
}

function summarizeIngest({ created, version: v }: IngestResponse): string {
  const status = created ? 'new' : `unchanged: identical to version ${v.version}`;
  return `dataset ${v.dataset} version ${v.version}: ${v.row_count} rows, ${v.schema.length} columns (${status})\n`;
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
  const source = [v.source.kind, v.source.format, v.source.file_name]
    .filter((s) => s !== undefined)
    .join(', ');
  const fields = renderFields([
    ['Version', v.version],
    ['Rows', v.row_count],
    ['Columns', v.schema.length],
    ['Bytes', v.bytes],
    ['Content hash', v.content_hash],
    ['Source', source],
    ['Parent', v.parent_version],
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
