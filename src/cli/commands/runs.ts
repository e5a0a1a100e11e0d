import { type Command, Option } from 'commander';
import type { Run, SearchRunsRequest, ViewType } from '../../contracts/index.js';
import { action, type CliContext } from '../context.js';
import { parsePositiveInt } from '../options.js';
import {
  formatDuration,
  formatMetric,
  formatTime,
  renderFields,
  renderJson,
  renderTable,
} from '../output.js';
import { resolveExperiment } from './resolve-experiment.js';

interface ListOptions {
  experiment?: string;
  filter?: string;
  orderBy?: string[];
  max: number;
  view: ViewType;
  json?: boolean;
}

export function registerRuns(program: Command, ctx: CliContext): void {
  const runs = program.command('runs').description('list and inspect runs');

  runs
    .command('list')
    .description('list runs, newest first unless --order-by says otherwise')
    .option('--experiment <id-or-name>', 'only runs of this experiment')
    .option('--filter <expr>', `search filter, e.g. "metrics.rmse < 0.5 and params.model = 'gbm'"`)
    .option('--order-by <expr...>', 'sort keys, e.g. metrics.rmse ASC start_time DESC')
    .option('--max <n>', 'show at most this many runs', parsePositiveInt, 100)
    .addOption(
      new Option('--view <view>', 'which runs').choices(['active', 'deleted', 'all']).default('active'),
    )
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (options: ListOptions, cmd: Command) => {
        const client = ctx.client(cmd);
        const request: SearchRunsRequest = {
          filter: options.filter,
          order_by: options.orderBy,
          run_view_type: options.view,
          max_results: options.max,
        };
        if (options.experiment !== undefined) {
          request.experiment_ids = [(await resolveExperiment(client, options.experiment)).experiment_id];
        }
        const page = await client.runs.search(request);
        if (options.json) return ctx.out(renderJson(page.runs));
        if (page.runs.length === 0) return ctx.out('No runs.\n');
        const now = Date.now();
        ctx.out(
          renderTable(
            ['RUN ID', 'NAME', 'EXPERIMENT', 'STATUS', 'USER', 'STARTED', 'DURATION'],
            page.runs.map(({ info }) => [
              info.run_id,
              info.run_name,
              info.experiment_id,
              info.status,
              info.user_id,
              formatTime(info.start_time),
              formatDuration(runDuration(info, now)),
            ]),
          ),
        );
        if (page.next_page_token)
          ctx.err(`(showing the first ${page.runs.length} runs: raise --max to see more)\n`);
      }),
    );

  runs
    .command('show')
    .description('show a run: info, params, latest metrics and tags')
    .argument('<run_id>', 'the run id (32 hex characters)')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (runId: string, options: { json?: boolean }, cmd: Command) => {
        const run = await ctx.client(cmd).runs.get(runId);
        ctx.out(options.json ? renderJson(run) : renderRun(run));
      }),
    );
}

function runDuration(info: Run['info'], now: number): number | undefined {
  if (info.end_time !== undefined) return info.end_time - info.start_time;
  return info.status === 'RUNNING' ? now - info.start_time : undefined;
}

function renderRun(run: Run): string {
  const { info, data } = run;
  const sections = [
    renderFields([
      ['Run ID', info.run_id],
      ['Name', info.run_name],
      ['Experiment', info.experiment_id],
      ['Status', info.status],
      ['User', info.user_id],
      ['Started', formatTime(info.start_time)],
      ['Ended', formatTime(info.end_time)],
      ['Duration', formatDuration(runDuration(info, Date.now()))],
      ['Stage', info.lifecycle_stage],
      ['Artifacts', info.artifact_uri],
    ]),
    section(
      'Params',
      ['KEY', 'VALUE'],
      data.params.map((p) => [p.key, p.value]),
    ),
    section(
      'Metrics (latest)',
      ['KEY', 'VALUE', 'STEP', 'TIME'],
      data.metrics.map((m) => [m.key, formatMetric(m.value), m.step, formatTime(m.timestamp)]),
    ),
    section(
      'Tags',
      ['KEY', 'VALUE'],
      data.tags.map((t) => [t.key, t.value]),
    ),
  ];
  return sections.join('\n');
}

function section(title: string, head: string[], rows: Array<Array<string | number>>): string {
  return rows.length === 0 ? `${title}: (none)\n` : `${title}:\n${renderTable(head, rows)}`;
}
