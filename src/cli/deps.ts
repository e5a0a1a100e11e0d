import type { Config } from '../core/index.js';

export const VALID_ROLES = ['api', 'serving', 'worker', 'scheduler'] as const;
export type Role = (typeof VALID_ROLES)[number];

/** The roles `cyclops up` starts: every role built so far (serving, worker, scheduler join as they land). */
export const UP_ROLES: readonly Role[] = ['api'];

export interface StartServerOptions {
  host?: string;
  port?: number;
  roles: string[];
  /** Open the dashboard in a browser once listening. */
  open?: boolean;
}

export interface RunningServer {
  /** Base URL clients use, e.g. `http://127.0.0.1:5055`. */
  url: string;
  /** `pglite` or `postgres`; when omitted the CLI asks the server's /healthz. */
  store?: string;
  close(): Promise<void>;
}

/** What the CLI reads from the configuration; core's `Config` satisfies it, and `cyclops config` shows the rest. */
export type CliConfig = Pick<Config, 'url' | 'user' | 'project' | 'host' | 'port'> &
  Partial<Omit<Config, 'url' | 'user' | 'project' | 'host' | 'port'>>;

/**
 * What src/bin injects: the CLI never imports the server, the store or a domain, so it can be tested
 * with fakes and the same commands work against a remote server.
 */
export interface CliDeps {
  version: string;
  startServer(options: StartServerOptions): Promise<RunningServer>;
  /** Environment + cyclops.yaml; throws a CyclopsError listing every bad setting. */
  loadConfig: () => CliConfig;
  /** Default: process.stdout.write. */
  stdout?: (text: string) => void;
  /** Default: process.stderr.write. */
  stderr?: (text: string) => void;
  /** Default: process.env (CYCLOPS_DEBUG=1 prints stack traces). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The fetch the client uses (tests). Default: the global fetch. */
  fetch?: typeof fetch;
  /** Resolves with the signal name that asks a running server to stop. Default: SIGINT or SIGTERM. */
  waitForShutdown?: () => Promise<string>;
}
