#!/usr/bin/env node
import { type CliDeps, runCli } from '../cli/index.js';
import { type Config, loadConfig } from '../core/index.js';
import { isLockLive, readLock } from '../store/index.js';
import { startPlatform } from './platform.js';
import { packageVersion } from './version.js';

/**
 * The `cyclops` command: the CLI, with the platform injected so the cli layer never imports the server.
 * When CYCLOPS_URL is not set and a server holds this CYCLOPS_HOME, commands talk to that server: the
 * embedded store belongs to one process, and everyone else goes through its API.
 */
function cliConfig(): Config {
  const config = loadConfig();
  if (!process.env.CYCLOPS_URL) {
    const holder = readLock(config.home);
    if (holder?.url && isLockLive(holder)) config.url = holder.url;
  }
  return config;
}

const version = packageVersion();
const deps: CliDeps = {
  version,
  loadConfig: cliConfig,
  async startServer(options) {
    const config = loadConfig({ overrides: { host: options.host, port: options.port } });
    const platform = await startPlatform(config, { roles: options.roles, version });
    return { url: platform.url, store: platform.storeKind, close: () => platform.close() };
  },
};

process.exitCode = await runCli(deps, process.argv);
