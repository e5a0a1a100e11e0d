import { type Command, CommanderError } from 'commander';
import { CyclopsClient } from '../client/index.js';
import type { CliConfig, CliDeps } from './deps.js';
import { describeError, formatReport } from './error-report.js';
import { UsageError } from './usage-error.js';

export interface GlobalOptions {
  url?: string;
  user?: string;
  project?: string;
}

/** What every command needs: output streams, the effective settings, a client, and error reporting. */
export interface CliContext {
  readonly deps: CliDeps;
  out(text: string): void;
  err(text: string): void;
  /** The configuration with --url, --user and --project applied. */
  settings(cmd: Command): CliConfig;
  client(cmd: Command): CyclopsClient;
  /** Reports the error on stderr and returns the CommanderError that carries the exit code. */
  fail(err: unknown): CommanderError;
}

export function createContext(deps: CliDeps): CliContext {
  const out = deps.stdout ?? ((text: string) => void process.stdout.write(text));
  const err = deps.stderr ?? ((text: string) => void process.stderr.write(text));
  const env = deps.env ?? process.env;
  const settings = (cmd: Command): CliConfig => {
    let config: CliConfig;
    try {
      config = deps.loadConfig();
    } catch (e) {
      throw new UsageError(
        e instanceof Error ? e.message : String(e),
        "fix the settings above ('cyclops config --docs' describes each one)",
      );
    }
    const globals = cmd.optsWithGlobals<GlobalOptions>();
    return {
      ...config,
      url: globals.url === undefined ? config.url : checkUrl(globals.url),
      user: globals.user ?? config.user,
      project: globals.project ?? config.project,
    };
  };
  return {
    deps,
    out,
    err,
    settings,
    client(cmd) {
      const { url, user, project } = settings(cmd);
      return new CyclopsClient({ url, user, project, fetch: deps.fetch });
    },
    fail(e) {
      if (e instanceof CommanderError) return e;
      const report = describeError(e);
      err(formatReport(report, e, env.CYCLOPS_DEBUG === '1'));
      return new CommanderError(report.exitCode, 'cyclops.error', report.message);
    },
  };
}

function checkUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`--url '${text}' is not an http(s) URL`, 'e.g. --url http://127.0.0.1:5055');
  }
  return text.replace(/\/+$/, '');
}

/** Wraps an action so anything it throws is reported once and ends with the right exit code. */
export function action<A extends unknown[]>(
  ctx: CliContext,
  fn: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      throw ctx.fail(e);
    }
  };
}
