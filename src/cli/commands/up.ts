import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import { UP_ROLES } from '../deps.js';
import { parsePort } from '../options.js';
import { type ServeOptions, serve } from './serve.js';

export function registerUp(program: Command, ctx: CliContext): void {
  program
    .command('up')
    .description('run CyclOps on this machine: every role built so far, embedded store by default')
    .option('--host <host>', 'address to bind (default: CYCLOPS_HOST or 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default: CYCLOPS_PORT or 5055)', parsePort)
    .option('--open', 'open the dashboard in a browser')
    .action(
      action(ctx, (options: ServeOptions, cmd: Command) =>
        serve(
          ctx,
          cmd,
          [...UP_ROLES],
          options,
          (url, store) => `CyclOps is running at ${url} (store: ${store}).`,
        ),
      ),
    );
}
