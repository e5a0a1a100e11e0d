import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import { VALID_ROLES } from '../deps.js';
import { parsePort, parseRoles } from '../options.js';
import { type ServeOptions, serve } from './serve.js';

interface ServerOptions extends ServeOptions {
  roles: string[];
}

export function registerServer(program: Command, ctx: CliContext): void {
  program
    .command('server')
    .description('run chosen roles of CyclOps in this process (one Deployment per role in a cluster)')
    .option('--host <host>', 'address to bind (default: CYCLOPS_HOST or 127.0.0.1)')
    .option('--port <port>', 'port to listen on (default: CYCLOPS_PORT or 5055)', parsePort)
    .option('--roles <roles>', `comma-separated roles: ${VALID_ROLES.join(', ')}`, parseRoles, ['api'])
    .action(
      action(ctx, (options: ServerOptions, cmd: Command) =>
        serve(
          ctx,
          cmd,
          options.roles,
          options,
          (url, store) =>
            `CyclOps server (roles: ${options.roles.join(', ')}) is running at ${url} (store: ${store}).`,
        ),
      ),
    );
}
