import { type Command, Option } from 'commander';
import type { Experiment, ViewType } from '../../contracts/index.js';
import { action, type CliContext } from '../context.js';
import { collectTag } from '../options.js';
import { formatTime, renderFields, renderJson, renderTable } from '../output.js';
import { resolveExperiment } from './resolve-experiment.js';

interface JsonOption {
  json?: boolean;
}

export function registerExperiments(program: Command, ctx: CliContext): void {
  const experiments = program.command('experiments').description('list, show and create experiments');

  experiments
    .command('list')
    .description('list experiments')
    .addOption(
      new Option('--view <view>', 'which experiments')
        .choices(['active', 'deleted', 'all'])
        .default('active'),
    )
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (options: JsonOption & { view: ViewType }, cmd: Command) => {
        const client = ctx.client(cmd);
        const found: Experiment[] = [];
        for await (const experiment of client.experiments.listAll({ view_type: options.view })) {
          found.push(experiment);
        }
        if (options.json) return ctx.out(renderJson(found));
        if (found.length === 0) {
          return ctx.out("No experiments. Create one with 'cyclops experiments create NAME'.\n");
        }
        const showStage = options.view !== 'active';
        ctx.out(
          renderTable(
            ['ID', 'NAME', ...(showStage ? ['STAGE'] : []), 'CREATED', 'UPDATED'],
            found.map((e) => [
              e.experiment_id,
              e.name,
              ...(showStage ? [e.lifecycle_stage] : []),
              formatTime(e.creation_time),
              formatTime(e.last_update_time),
            ]),
          ),
        );
      }),
    );

  experiments
    .command('show')
    .description('show one experiment')
    .argument('<id-or-name>', 'experiment id or name')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (idOrName: string, options: JsonOption, cmd: Command) => {
        const experiment = await resolveExperiment(ctx.client(cmd), idOrName);
        ctx.out(options.json ? renderJson(experiment) : renderExperiment(experiment));
      }),
    );

  experiments
    .command('create')
    .description('create an experiment')
    .argument('<name>', 'a unique name')
    .option('--artifact-location <uri>', 'where its runs store artifacts (default: the server decides)')
    .option('--tag <key=value>', 'a tag; repeat for more', collectTag)
    .option('--json', 'print JSON')
    .action(
      action(
        ctx,
        async (
          name: string,
          options: JsonOption & { artifactLocation?: string; tag?: Array<{ key: string; value: string }> },
          cmd: Command,
        ) => {
          const experiment = await ctx.client(cmd).experiments.create(name, {
            artifact_location: options.artifactLocation,
            tags: options.tag,
          });
          ctx.out(
            options.json
              ? renderJson(experiment)
              : `Created experiment '${experiment.name}' (id ${experiment.experiment_id}).\n`,
          );
        },
      ),
    );
}

function renderExperiment(e: Experiment): string {
  const fields = renderFields([
    ['ID', e.experiment_id],
    ['Name', e.name],
    ['Stage', e.lifecycle_stage],
    ['Artifacts', e.artifact_location],
    ['Created', formatTime(e.creation_time)],
    ['Updated', formatTime(e.last_update_time)],
  ]);
  const tags =
    e.tags.length === 0
      ? 'Tags: (none)\n'
      : `\nTags:\n${renderTable(
          ['KEY', 'VALUE'],
          e.tags.map((t) => [t.key, t.value]),
        )}`;
  return `${fields}${tags}`;
}
