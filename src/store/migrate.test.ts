import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BACKENDS,
  type Backend,
  createTestDatabase,
  openTestStore,
  TEST_DATABASE_URL,
} from '../../test/helpers/stores.js';
import { MIGRATION_LOCK_KEY, MIGRATIONS, type Migration, migrate, type ScriptRunner } from './migrate.js';

interface FreshDatabase {
  runner: ScriptRunner;
  /** Another runner on a separate connection to the same database (Postgres only). */
  connect(): Promise<ScriptRunner>;
  close(): Promise<void>;
}

/** A ScriptRunner over a pg.Client, the way openStore builds one over a pool client. */
function clientRunner(client: pg.Client): ScriptRunner {
  return {
    script: async (sql) => {
      await client.query(sql);
    },
    rows: async <T>(sql: string) => (await client.query(sql)).rows as T[],
  };
}

/** An empty database (no migrations applied) on the given backend. */
async function freshDatabase(backend: Backend): Promise<FreshDatabase> {
  if (backend === 'pglite') {
    const pglite = await PGlite.create();
    return {
      runner: {
        script: async (sql) => {
          await pglite.exec(sql);
        },
        rows: async <T>(sql: string) => (await pglite.query<T>(sql)).rows,
      },
      connect: () => Promise.reject(new Error('PGlite has a single connection')),
      close: () => pglite.close(),
    };
  }
  const database = await createTestDatabase();
  const clients: pg.Client[] = [];
  const connect = async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    clients.push(client);
    return clientRunner(client);
  };
  const runner = await connect();
  return {
    runner,
    connect,
    async close() {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await database.drop();
    },
  };
}

async function versions(runner: ScriptRunner): Promise<number[]> {
  const rows = await runner.rows<{ version: number }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  return rows.map((r) => Number(r.version));
}

async function tableExists(runner: ScriptRunner, name: string): Promise<boolean> {
  const rows = await runner.rows<{ t: string | null }>(`SELECT to_regclass('${name}')::text AS t`);
  return rows[0]?.t != null;
}

const ALL = MIGRATIONS.map((m) => m.version);

/** version 999: its first statements succeed (a table, a row), then one fails. */
const BROKEN: Migration = {
  version: 999,
  name: 'broken',
  sql: `CREATE TABLE broken_half (id integer);
INSERT INTO broken_half VALUES (1);
ALTER TABLE projects ADD COLUMN broken_col integer;
SELECT * FROM no_such_table_anywhere;`,
};

describe('MIGRATIONS', () => {
  it('are numbered upward without duplicates and named', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    for (let i = 0; i < MIGRATIONS.length; i++) {
      const m = MIGRATIONS[i] as Migration;
      expect(m.name).toMatch(/^[a-z0-9_-]+$/);
      if (i > 0) expect(m.version).toBeGreaterThan((MIGRATIONS[i - 1] as Migration).version);
    }
  });
});

describe.each(BACKENDS)('migrate on %s', (backend) => {
  let fresh: FreshDatabase | undefined;
  afterEach(async () => {
    await fresh?.close();
    fresh = undefined;
  });

  it('applies every migration once to a fresh database, and nothing the second time', async () => {
    fresh = await freshDatabase(backend);
    expect(await migrate(fresh.runner)).toEqual(ALL);
    expect(await versions(fresh.runner)).toEqual(ALL);
    const names = await fresh.runner.rows<{ name: string }>(
      'SELECT name FROM schema_migrations ORDER BY version',
    );
    expect(names.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
    // The foundation's objects and its default project are there.
    expect(await tableExists(fresh.runner, 'audit_log')).toBe(true);
    const projects = await fresh.runner.rows<{ id: string }>("SELECT id FROM projects WHERE id = 'default'");
    expect(projects).toHaveLength(1);

    expect(await migrate(fresh.runner)).toEqual([]);
    expect(await migrate(fresh.runner)).toEqual([]);
    expect(await versions(fresh.runner)).toEqual(ALL);
  });

  it('applies only the migrations that are new', async () => {
    fresh = await freshDatabase(backend);
    await migrate(fresh.runner);
    const next: Migration = { version: 1000, name: 'next', sql: 'CREATE TABLE next_table (id integer);' };
    expect(await migrate(fresh.runner, [...MIGRATIONS, next])).toEqual([1000]);
    expect(await versions(fresh.runner)).toEqual([...ALL, 1000]);
    expect(await tableExists(fresh.runner, 'next_table')).toBe(true);
  });

  it('a failing migration leaves no row and no partial objects, and the session usable', async () => {
    fresh = await freshDatabase(backend);
    const after: Migration = { version: 1000, name: 'after', sql: 'CREATE TABLE after_broken (id integer);' };
    await expect(migrate(fresh.runner, [...MIGRATIONS, BROKEN, after])).rejects.toThrow(
      /no_such_table_anywhere/,
    );

    // The migrations before it committed; 999 and everything after it did not.
    expect(await versions(fresh.runner)).toEqual(ALL);
    expect(await tableExists(fresh.runner, 'broken_half')).toBe(false);
    expect(await tableExists(fresh.runner, 'after_broken')).toBe(false);
    const cols = await fresh.runner.rows(
      "SELECT 1 FROM information_schema.columns WHERE table_name = 'projects' AND column_name = 'broken_col'",
    );
    expect(cols).toHaveLength(0);

    // The connection is not left inside an aborted transaction, and the lock was given back:
    // a fixed 999 then applies on the same connection.
    expect(await fresh.runner.rows('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    const fixed: Migration = { ...BROKEN, sql: 'CREATE TABLE broken_half (id integer);' };
    expect(await migrate(fresh.runner, [...MIGRATIONS, fixed, after])).toEqual([999, 1000]);
    expect(await versions(fresh.runner)).toEqual([...ALL, 999, 1000]);
  });

  it('a failure in the very first migration leaves an empty schema_migrations', async () => {
    fresh = await freshDatabase(backend);
    await expect(migrate(fresh.runner, [BROKEN])).rejects.toThrow();
    expect(await versions(fresh.runner)).toEqual([]);
    expect(await tableExists(fresh.runner, 'broken_half')).toBe(false);
  });

  it('openStore leaves a database with every migration applied', async () => {
    const t = await openTestStore(backend);
    try {
      const rows = await t.store.db
        .selectFrom('schema_migrations')
        .select('version')
        .orderBy('version')
        .execute();
      expect(rows.map((r) => Number(r.version))).toEqual(ALL);
    } finally {
      await t.dispose();
    }
  });
});

describe.skipIf(!TEST_DATABASE_URL)('migrate on postgres, several processes at once', () => {
  let fresh: FreshDatabase | undefined;
  afterEach(async () => {
    await fresh?.close();
    fresh = undefined;
  });

  async function lockIsFree(runner: ScriptRunner): Promise<boolean> {
    const [row] = await runner.rows<{ got: boolean }>(
      `SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS got`,
    );
    if (row?.got) await runner.script(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    return row?.got === true;
  }

  it('two concurrent migrate() calls both succeed and apply each migration once', async () => {
    fresh = await freshDatabase('postgres');
    const a = fresh.runner;
    const b = await fresh.connect();
    // A slow last migration widens the window in which an unserialized second caller would collide.
    const slow: Migration = {
      version: 1000,
      name: 'slow',
      sql: 'SELECT pg_sleep(0.3); CREATE TABLE slow_table (id integer);',
    };
    const list = [...MIGRATIONS, slow];
    const [ra, rb] = await Promise.all([migrate(a, list), migrate(b, list)]);
    // Exactly one of them did the work; the other found it done.
    expect([ra, rb].sort((x, y) => y.length - x.length)).toEqual([[...ALL, 1000], []]);
    const counts = await a.rows<{ version: number; n: number }>(
      'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version',
    );
    expect(counts).toEqual([...ALL, 1000].map((version) => ({ version, n: 1 })));
    expect(await lockIsFree(await fresh.connect())).toBe(true);
  });

  it('many concurrent callers on a fresh database all succeed', async () => {
    fresh = await freshDatabase('postgres');
    const db = fresh;
    const runners = [db.runner, ...(await Promise.all([1, 2, 3].map(() => db.connect())))];
    const results = await Promise.all(runners.map((r) => migrate(r)));
    expect(results.flat().sort((x, y) => x - y)).toEqual(ALL);
    expect(await versions(db.runner)).toEqual(ALL);
  });

  it('gives the advisory lock back after a failure', async () => {
    fresh = await freshDatabase('postgres');
    await expect(migrate(fresh.runner, [...MIGRATIONS, BROKEN])).rejects.toThrow();
    expect(await lockIsFree(await fresh.connect())).toBe(true);
    // Another process can then migrate.
    const other = await fresh.connect();
    expect(await migrate(other)).toEqual([]);
  });
});
