import type { Command } from 'commander';
import type { StudyDetailResponse, StudyWire } from '../../contracts/index.js';
import { readConfigFile } from '../config-file.js';
import { action, type CliContext } from '../context.js';
import { parsePositiveInt } from '../options.js';
import { formatTime, renderFields, renderJson, renderTable } from '../output.js';
import { ProgressLine } from '../progress.js';

/**
 * `--json` given to a subcommand: commander lets the parent (`tune`, which has a --json of its own)
 * take it, so look there too.
 */
const wantsJson = (options: { json?: boolean }, cmd: Command) =>
  options.json === true || cmd.parent?.opts().json === true;

/** `cyclops tune --config tune.yaml` and `cyclops tune list|show|cancel|resume`. */
export function registerTune(program: Command, ctx: CliContext): void {
  const tune = program
    .command('tune')
    .description(
      'hyperparameter tuning: a study of trials (each a child run), sampled by TPE, random or grid search',
    )
    .option('--config <file>', 'the study (YAML or JSON): data, target, space, metric, sampler, n_trials...')
    .option('--no-wait', 'start the study and return (follow it with cyclops tune show ID)')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (options: { config?: string; wait: boolean; json?: boolean }, cmd: Command) => {
        if (!options.config) {
          cmd.help({ error: true });
          return;
        }
        const client = ctx.client(cmd);
        const study = await client.tuning.start(await readConfigFile(options.config));
        if (!options.wait) {
          if (options.json) return ctx.out(renderJson(study));
          return ctx.out(
            `study ${study.id} (${study.name}) started: follow it with 'cyclops tune show ${study.id}'\n`,
          );
        }
        const detail = await follow(ctx, study.id, cmd, options.json === true);
        if (options.json) return ctx.out(renderJson(detail));
        ctx.out(describeStudy(detail));
      }),
    );

  tune
    .command('list')
    .description('tuning studies, newest first')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (options: { json?: boolean }, cmd: Command) => {
        const studies: StudyWire[] = [];
        for await (const s of ctx.client(cmd).tuning.listAll()) studies.push(s);
        if (wantsJson(options, cmd)) return ctx.out(renderJson(studies));
        if (studies.length === 0)
          return ctx.out("No studies. Start one with 'cyclops tune --config tune.yaml'.\n");
        ctx.out(
          renderTable(
            ['ID', 'NAME', 'STATUS', 'TRIALS', 'BEST', 'METRIC', 'CREATED'],
            studies.map((s) => [
              s.id,
              s.name,
              s.status,
              `${s.progress.completed}/${s.progress.total}`,
              s.progress.best ? s.progress.best.value.toPrecision(6) : '-',
              `${s.metric} (${s.direction})`,
              formatTime(s.created_at),
            ]),
          ),
        );
      }),
    );

  tune
    .command('show')
    .description('a study and its trials')
    .argument('<id>', 'the study id', parsePositiveInt)
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (id: number, options: { json?: boolean }, cmd: Command) => {
        const detail = await ctx.client(cmd).tuning.get(id);
        if (wantsJson(options, cmd)) return ctx.out(renderJson(detail));
        ctx.out(describeStudy(detail));
      }),
    );

  tune
    .command('cancel')
    .description('stop a running study (resume it later)')
    .argument('<id>', 'the study id', parsePositiveInt)
    .action(
      action(ctx, async (id: number, _options: unknown, cmd: Command) => {
        const study = await ctx.client(cmd).tuning.cancel(id);
        ctx.out(
          `study ${study.id}: ${study.status} after ${study.progress.completed}/${study.progress.total} trials\n`,
        );
      }),
    );

  tune
    .command('resume')
    .description('continue a cancelled or failed study from its stored trials')
    .argument('<id>', 'the study id', parsePositiveInt)
    .option('--no-wait', 'resume and return')
    .option('--json', 'print JSON')
    .action(
      action(ctx, async (id: number, options: { wait: boolean; json?: boolean }, cmd: Command) => {
        const study = await ctx.client(cmd).tuning.resume(id);
        const json = wantsJson(options, cmd);
        if (!options.wait) return ctx.out(json ? renderJson(study) : `study ${study.id} resumed\n`);
        const detail = await follow(ctx, study.id, cmd, json);
        ctx.out(json ? renderJson(detail) : describeStudy(detail));
      }),
    );
}

/** Polls a study with a progress line (trials done, best so far) until it ends. */
async function follow(
  ctx: CliContext,
  id: number,
  cmd: Command,
  json: boolean,
): Promise<StudyDetailResponse> {
  const progress = new ProgressLine(ctx.deps.stderr === undefined && process.stderr.isTTY === true && !json);
  try {
    return await ctx.client(cmd).tuning.wait(id, {
      onProgress: (s) =>
        progress.update(
          `tuning ${s.name}: trial`,
          s.progress.completed,
          s.progress.total,
          s.progress.best
            ? `best ${s.metric} ${s.progress.best.value.toPrecision(5)} (trial ${s.progress.best.number})`
            : '',
        ),
    });
  } finally {
    progress.end();
  }
}

function describeStudy({ study: s, trials }: StudyDetailResponse): string {
  const best = s.progress.best;
  const head = renderFields([
    ['study', `${s.id} (${s.name})`],
    ['status', s.status],
    ['trials', `${s.progress.completed}/${s.progress.total}, ${s.sampler}, concurrency ${s.concurrency}`],
    ['metric', `${s.metric} (${s.direction})`],
    [
      'best',
      best ? `${best.value.toPrecision(6)} in trial ${best.number}: ${formatParams(best.params)}` : undefined,
    ],
    ['run', s.parent_run_id ?? undefined],
    ['error', s.error ?? undefined],
  ]);
  const rows = trials.map((t) => [
    t.number,
    t.state,
    t.value === null ? '-' : t.value.toPrecision(6),
    formatParams(t.params),
    t.run_id ?? '-',
  ]);
  return `${head}${rows.length ? renderTable(['TRIAL', 'STATE', 'VALUE', 'PARAMS', 'RUN'], rows) : ''}`;
}

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(4) : String(v)}`)
    .join(' ');
}
