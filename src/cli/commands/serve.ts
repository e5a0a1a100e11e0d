import type { Command } from 'commander';
import { CyclopsClient } from '../../client/index.js';
import type { CliContext } from '../context.js';
import { waitForShutdownSignal } from '../shutdown.js';

export interface ServeOptions {
  host?: string;
  port?: number;
  open?: boolean;
}

/** Starts the roles, says where they listen, and closes them gracefully on SIGINT/SIGTERM. */
export async function serve(
  ctx: CliContext,
  cmd: Command,
  roles: string[],
  options: ServeOptions,
  describe: (url: string, store: string) => string,
): Promise<void> {
  const config = ctx.settings(cmd);
  const server = await ctx.deps.startServer({
    host: options.host ?? config.host,
    port: options.port ?? config.port,
    roles,
    open: options.open,
  });
  const store = server.store ?? (await probeStore(ctx, server.url));
  ctx.out(`${describe(server.url, store)} Press Ctrl+C to stop.\n`);
  const signal = await (ctx.deps.waitForShutdown ?? waitForShutdownSignal)();
  ctx.err(`Received ${signal}: shutting down...\n`);
  await server.close();
  ctx.err('CyclOps stopped.\n');
}

async function probeStore(ctx: CliContext, url: string): Promise<string> {
  try {
    return (await new CyclopsClient({ url, fetch: ctx.deps.fetch, timeoutMs: 5000 }).health()).store;
  } catch {
    return 'unknown';
  }
}
