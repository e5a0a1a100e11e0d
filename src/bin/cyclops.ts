#!/usr/bin/env node
import { type CliDeps, runCli } from '../cli/index.js';
import { type Config, defaultUrl, loadConfig } from '../core/index.js';
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
  // An explicit URL (env, cyclops.yaml, --url) wins; only the default defers to the home's server.
  if (config.url !== defaultUrl(config)) return config;
  let holder = readLock(config.home);
  // A server that is starting holds the lock before it listens: wait for its URL rather than
  // telling the user that no server runs.
  const deadline = Date.now() + STARTING_SERVER_WAIT_MS;
  while (holder && !holder.url && isLockLive(holder) && Date.now() < deadline) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    holder = readLock(config.home);
  }
  if (holder?.url && isLockLive(holder)) config.url = holder.url;
  return config;
}

const STARTING_SERVER_WAIT_MS = 30_000;

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
