import { Command, CommanderError } from 'commander';
import { registerConfig } from './commands/config.js';
import { registerDatasets } from './commands/datasets/index.js';
import { registerExperiments } from './commands/experiments.js';
import { registerFeatures } from './commands/features.js';
import { registerRuns } from './commands/runs.js';
import { registerServer } from './commands/server.js';
import { registerTraining } from './commands/train.js';
import { registerTune } from './commands/tune.js';
import { registerUp } from './commands/up.js';
import { type CliContext, createContext } from './context.js';
import type { CliDeps } from './deps.js';
import { describeError, EXIT_RUNTIME, EXIT_USAGE, formatReport } from './error-report.js';

/**
 * The `cyclops` command tree. Every command throws a CommanderError instead of calling process.exit,
 * with exit code 0 (help, version), 1 (the API or the runtime failed) or 2 (a usage error); the message
 * is already on stderr by then. `runCli` turns that into the process exit code.
 */
export function createProgram(deps: CliDeps): Command {
  const ctx = createContext(deps);
  const program = new Command('cyclops')
    .description('CyclOps: a self-hosted MLOps platform.')
    .version(deps.version, '-V, --version', 'print the version')
    .option('--url <url>', 'server to talk to (default: CYCLOPS_URL, or the local server)')
    .option('--user <name>', 'actor name sent to the server (default: CYCLOPS_USER, or the OS user)')
    .option('--project <id>', "project to work in (default: CYCLOPS_PROJECT, or 'default')")
    .configureOutput({ writeOut: ctx.out, writeErr: ctx.err })
    .showSuggestionAfterError(true);
  registerUp(program, ctx);
  registerServer(program, ctx);
  registerExperiments(program, ctx);
  registerRuns(program, ctx);
  registerDatasets(program, ctx);
  registerFeatures(program, ctx);
  registerTraining(program, ctx);
  registerTune(program, ctx);
  registerConfig(program, ctx);
  applyExitPolicy(program, ctx);
  return program;
}

/** Parses `argv` (process.argv by default layout) and returns the exit code; never calls process.exit. */
export async function runCli(
  deps: CliDeps,
  argv: readonly string[],
  options: { from?: 'node' | 'user' } = {},
): Promise<number> {
  const program = createProgram(deps);
  try {
    await program.parseAsync(argv, { from: options.from ?? 'node' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    // Actions report their own errors; this is a failure outside one (an option parser, say).
    const report = describeError(err);
    const env = deps.env ?? process.env;
    (deps.stderr ?? ((text: string) => void process.stderr.write(text)))(
      formatReport(report, err, env.CYCLOPS_DEBUG === '1'),
    );
    return report.exitCode;
  }
}

/** Commander's own errors (unknown option, missing argument...) are usage errors: exit 2, with a hint. */
function applyExitPolicy(cmd: Command, ctx: CliContext): void {
  cmd.exitOverride((err) => {
    if (err.exitCode === 0 || err.code.startsWith('cyclops.')) throw err;
    // 'commander.help' is a bare group command (`cyclops runs`): its help is already on stderr.
    if (err.code !== 'commander.help') ctx.err(`hint: see '${commandPath(cmd)} --help'\n`);
    throw new CommanderError(
      err.exitCode === EXIT_RUNTIME ? EXIT_USAGE : err.exitCode,
      err.code,
      err.message,
    );
  });
  for (const sub of cmd.commands) applyExitPolicy(sub, ctx);
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
