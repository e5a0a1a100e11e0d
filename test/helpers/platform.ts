import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../../src/bin/platform.js';
import { loadConfig } from '../../src/core/index.js';
import { type Backend, createTestDatabase } from './stores.js';

export interface TestPlatform {
  url: string;
  home: string;
  databaseUrl?: string | undefined;
  close(): Promise<void>;
}

/** A real server on a free loopback port, on PGlite in a temp dir or on a fresh Postgres database. */
export async function startTestPlatform(
  backend: Backend,
  env: Record<string, string> = {},
): Promise<TestPlatform> {
  const home = mkdtempSync(join(tmpdir(), 'cyclops-it-'));
  const database = backend === 'postgres' ? await createTestDatabase() : undefined;
  const config = loadConfig({
    env: {
      CYCLOPS_HOME: home,
      CYCLOPS_PORT: '0',
      CYCLOPS_LOG_LEVEL: 'warn',
      ...(database ? { CYCLOPS_DATABASE_URL: database.url } : {}),
      ...env,
    },
    file: '/dev/null',
  });
  const platform = await startPlatform(config, { roles: ['api'], version: 'test' });
  return {
    url: platform.url,
    home,
    databaseUrl: database?.url,
    async close() {
      await platform.close();
      await database?.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** fetch + JSON with the context headers the SDK sends. */
export async function api(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'x-cyclops-user': 'alice',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON: leave the text */
  }
  return { status: res.status, body: parsed };
}
