import type { Command } from 'commander';
import type { ApplyTransformRequest, IngestResponse, Transform } from '../../contracts/index.js';
import { readConfigFile as readConfig } from '../config-file.js';
import { action, type CliContext } from '../context.js';
import { parsePositiveInt } from '../options.js';
import { formatTime, renderFields, renderJson, renderTable } from '../output.js';

/** `features fit|list|show|apply`: feature transforms fitted on a dataset version. */
export function registerFeatures(program: Command, ctx: CliContext): void {
  const features = program
    .command('features')
    .description('fit feature transforms on a dataset version and apply them to versions');

  features
    .command('fit')
    .description(
      'fit a transform config (YAML or JSON: impute, scale, one_hot, ... steps) on a dataset version',
    )
    .argument('<dataset>', 'the training dataset')
    .argument('[version]', 'its version (default: the latest)', parsePositiveInt)
    .requiredOption('--config <file>', 'the transform config file')
    .option('--name <name>', 'a name for the transform (default: DATASET-transform)')
    .option('--json', 'print JSON')
    .action(
      action(
        ctx,
        async (
          dataset: string,
          version: number | undefined,
          options: { config: string; name?: string; json?: boolean },
          cmd: Command,
        ) => {
          const config = await readConfig(options.config);
          const t = await ctx.client(cmd).features.fit({
            dataset,
            config,
            ...(version === undefined ? {} : { version }),
            ...(options.name === undefined ? {} : { name: options.name }),
          });
          if (options.json) return ctx.out(renderJson(t));
          ctx.out(
            `transform ${t.id} (${t.name}) fitted on ${t.dataset} version ${t.dataset_version}: ${t.spec.inputs.length} inputs -> ${t.spec.outputs.length} outputs\n` +
              `apply it with 'cyclops features apply ${t.id} DATASET [VERSION]'\n`,
          );
        },
      ),
    );

  features
    .command('list')
    .description('list fitted transforms')
    .option('--dataset <name>', 'only those fitted on this dataset')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (options: { dataset?: string; json?: boolean }, cmd: Command) => {
        const found: Transform[] = [];
        for await (const t of ctx.client(cmd).features.listAll({ dataset: options.dataset })) found.push(t);
        if (options.json) return ctx.out(renderJson(found));
        if (found.length === 0) {
          return ctx.out("No transforms. Fit one with 'cyclops features fit DATASET --config FILE'.\n");
        }
        ctx.out(
          renderTable(
            ['ID', 'NAME', 'FITTED ON', 'OUTPUTS', 'CREATED'],
            found.map((t) => [
              t.id,
              t.name,
              `${t.dataset} v${t.dataset_version}`,
              t.spec.outputs.length,
              formatTime(t.created_at),
            ]),
          ),
        );
      }),
    );

  features
    .command('show')
    .description('show a transform: its steps and output columns (--json for the fitted spec)')
    .argument('<id>', 'the transform id', parsePositiveInt)
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (id: number, options: { json?: boolean }, cmd: Command) => {
        const t = await ctx.client(cmd).features.get(id);
        if (options.json) return ctx.out(renderJson(t));
        const head = renderFields([
          ['Id', t.id],
          ['Name', t.name],
          ['Fitted on', `${t.dataset} version ${t.dataset_version}`],
          ['Steps', t.spec.steps.map((s) => s.type).join(', ')],
          ['Created by', t.created_by],
          ['Created', formatTime(t.created_at)],
        ]);
        ctx.out(
          `${head}\nOutputs:\n${renderTable(
            ['COLUMN', 'TYPE'],
            t.spec.outputs.map((c) => [c.name, c.type]),
          )}`,
        );
      }),
    );

  features
    .command('apply')
    .description('transform a dataset version; the result is a new version of INTO (default DATASET-NAME)')
    .argument('<id>', 'the transform id', parsePositiveInt)
    .argument('<dataset>', 'the dataset to transform')
    .argument('[version]', 'its version (default: the latest)', parsePositiveInt)
    .option('--into <dataset>', 'the dataset the result becomes a version of')
    .option('--json', 'print JSON')
    .action(
      action(
        ctx,
        async (
          id: number,
          dataset: string,
          version: number | undefined,
          options: { into?: string; json?: boolean },
          cmd: Command,
        ) => {
          const request: ApplyTransformRequest = { dataset };
          if (version !== undefined) request.version = version;
          if (options.into !== undefined) request.into = options.into;
          const result = await ctx.client(cmd).features.apply(id, request);
          ctx.out(options.json ? renderJson(result) : summarize(result));
        },
      ),
    );
}

function summarize({ created, version: v }: IngestResponse): string {
  const from = v.parent ? ` from ${v.parent.dataset} version ${v.parent.version}` : '';
  return `dataset ${v.dataset} version ${v.version}: ${v.row_count} rows, ${v.schema.length} columns${from} (${created ? 'new' : 'unchanged'})\n`;
}
