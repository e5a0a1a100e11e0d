import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { IngestResponse, QueryIngestBody, TableFormat } from '../../../contracts/index.js';
import { TABLE_FORMATS } from '../../../contracts/index.js';
import { action, type CliContext } from '../../context.js';
import { renderJson } from '../../output.js';
import { UsageError } from '../../usage-error.js';

interface IngestOptions {
  name: string;
  format?: TableFormat;
  delimiter?: string;
  quote?: string;
  header: boolean;
  encoding?: string;
  description?: string;
  query?: string;
  connection?: string;
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

/** `datasets ingest`: a local file streamed to the server, or the result of a query on a Postgres server. */
export function registerIngest(datasets: Command, ctx: CliContext): void {
  datasets
    .command('ingest')
    .description('add the next version of a dataset (created if new) from a file or a Postgres query')
    .argument('[file]', 'a CSV, TSV, Parquet, JSON or JSON Lines file (omit with --query)')
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
    .option('--query <sql>', 'instead of a file: a SELECT run on the server against --connection')
    .option(
      '--connection <url>',
      'with --query: postgres://user:password@host:port/database, as the CyclOps server reaches it',
    )
    .option('--description <text>', 'a description for a new dataset')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (file: string | undefined, options: IngestOptions, cmd: Command) => {
        const client = ctx.client(cmd);
        if (options.query !== undefined || options.connection !== undefined) {
          const body = queryBody(file, options);
          const result = await client.datasets.ingestQuery(options.name, body);
          return ctx.out(options.json ? renderJson(result) : summarizeIngest(result));
        }
        if (file === undefined) {
          throw new UsageError('nothing to ingest', 'give a FILE, or --query SQL --connection URL');
        }
        const format = options.format ?? formatFromExtension(file);
        const size = await fileSize(file);
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
}

function queryBody(file: string | undefined, options: IngestOptions): QueryIngestBody {
  if (file !== undefined) throw new UsageError('give a FILE or --query, not both');
  if (options.query === undefined || options.connection === undefined) {
    throw new UsageError(
      '--query and --connection go together',
      'e.g. --query "SELECT * FROM sales" --connection postgres://me@db:5432/shop',
    );
  }
  const fileOnly = (['format', 'delimiter', 'quote', 'encoding'] as const).filter(
    (k) => options[k] !== undefined,
  );
  if (fileOnly.length > 0 || !options.header) {
    throw new UsageError(`--${fileOnly[0] ?? 'no-header'} applies to files, not to --query`);
  }
  const body: QueryIngestBody = { connection: options.connection, query: options.query };
  if (options.description !== undefined) body.description = options.description;
  return body;
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
