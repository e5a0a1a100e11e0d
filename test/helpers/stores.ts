import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

/**
 * The store's tests run on both backends from one file. PGlite always; Postgres when
 * CYCLOPS_TEST_DATABASE_URL is set (each call gets a fresh database, dropped on dispose).
 * In CI (CI=true) a missing Postgres URL is an error, never a silent skip.
 */
export const TEST_DATABASE_URL = process.env.CYCLOPS_TEST_DATABASE_URL;

if (process.env.CI === 'true' && !TEST_DATABASE_URL) {
  throw new Error('CI=true but CYCLOPS_TEST_DATABASE_URL is not set: the Postgres suite must run in CI.');
}

export interface TestStore {
  store: Store;
  /** The postgres:// URL of the fresh database (Postgres backend only). */
  url?: string;
  home: string;
  dispose(): Promise<void>;
}

export type Backend = 'pglite' | 'postgres';

export const BACKENDS: Backend[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('CYCLOPS_TEST_DATABASE_URL is not set');
  const name = `cyclops_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function openTestStore(backend: Backend): Promise<TestStore> {
  const home = mkdtempSync(join(tmpdir(), 'cyclops-test-'));
  if (backend === 'pglite') {
    const store = await openStore({ home, inMemory: true });
    return {
      store,
      home,
      async dispose() {
        await store.close();
        rmSync(home, { recursive: true, force: true });
      },
    };
  }
  const database = await createTestDatabase();
  const store = await openStore({ home, databaseUrl: database.url, poolSize: 20 });
  return {
    store,
    url: database.url,
    home,
    async dispose() {
      await store.close();
      await database.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

if (!TEST_DATABASE_URL && process.env.CI !== 'true' && !process.env.CYCLOPS_QUIET_SKIP) {
  process.env.CYCLOPS_QUIET_SKIP = '1';
  console.warn(
    '[cyclops] Postgres suite skipped: set CYCLOPS_TEST_DATABASE_URL=postgres://user@host:5432/db to run the ' +
      'store tests on a Postgres server too (PGlite runs either way).',
  );
}
