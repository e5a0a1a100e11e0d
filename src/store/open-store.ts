import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { CyclopsError, redactUrl } from '../core/index.js';
import { DataDirLock } from './data-dir-lock.js';
import type { Database, Db } from './database.js';
import { migrate, type ScriptRunner } from './migrate.js';

export type StoreKind = 'pglite' | 'postgres';

export interface Store {
  readonly kind: StoreKind;
  readonly db: Db;
  /** Held only by the embedded store: the data directory's single-owner lock. */
  readonly lock: DataDirLock | undefined;
  /** Subscribes to NOTIFY on a channel; returns the unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** postgres:// URL; absent means the embedded PGlite store under `home`. */
  databaseUrl?: string | undefined;
  home: string;
  poolSize?: number;
  /** PGlite only: skip the data-directory lock (tests that open a throwaway in-memory store). */
  inMemory?: boolean;
}

const INT8_OID = 20;
const PGLITE_SHARED_BUFFERS = '64MB';
// Epoch milliseconds, counts and identity ids fit in 2^53: return them as numbers, not strings.
const parseInt8 = (v: string): number => Number(v);

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : openPglite(options);
}

async function openPglite(options: OpenStoreOptions): Promise<Store> {
  const lock = options.inMemory ? undefined : DataDirLock.acquire(options.home);
  let pglite: PGlite;
  try {
    const dataDir = options.inMemory ? undefined : join(options.home, 'pgdata');
    const pgliteOptions = {
      parsers: { [INT8_OID]: parseInt8 },
      // The WASM heap holds shared_buffers and never shrinks; the OS page cache still caches the files.
      postgresqlconf: `shared_buffers=${PGLITE_SHARED_BUFFERS}`,
    };
    if (dataDir && !existsSync(join(dataDir, 'PG_VERSION'))) {
      // The first open runs initdb, which grows the WASM heap by ~400 MB that a WASM heap never gives
      // back. Reopening starts a fresh, small heap and lets the initdb one be collected.
      mkdirSync(dataDir, { recursive: true });
      await (await PGlite.create(dataDir, pgliteOptions)).close();
    }
    pglite = await PGlite.create(dataDir, pgliteOptions);
    await migrate({
      script: async (sql) => {
        await pglite.exec(sql);
      },
      rows: async <T>(sql: string) => (await pglite.query<T>(sql)).rows,
    });
  } catch (err) {
    lock?.release();
    throw wrapOpenError(err, `the embedded store in ${options.home}`);
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  const maintenance = startPgliteMaintenance(pglite);
  return {
    kind: 'pglite',
    db,
    lock,
    async listen(channel, onPayload) {
      const unlisten = await pglite.listen(channel, onPayload);
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
    async close() {
      for (const t of maintenance) clearInterval(t);
      try {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** How often the embedded store checks for tables that outgrew their statistics, and vacuums. */
export const PGLITE_ANALYZE_CHECK_MS = 10 * 1000;
export const PGLITE_VACUUM_MS = 10 * 60 * 1000;

/**
 * Tables that grew by more than 20% since their last ANALYZE (relpages is what ANALYZE saw). PGlite
 * keeps no modification counters in single-user mode, so table growth stands in for autovacuum's
 * "10% of rows changed since analyze" rule. (A doubling rule let statistics go stale mid-load: an
 * experiment analyzed at 1k runs was planned as small at 10k, and search ran 2x slower.)
 */
const OUTGROWN_TABLES = `
  SELECT quote_ident(c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'r'
    AND pg_relation_size(c.oid) / current_setting('block_size')::int > 1.2 * greatest(c.relpages, 0) + 8`;

/**
 * PGlite runs Postgres in single-user mode: no autovacuum. Without statistics the search joins run 2x
 * slower; with statistics taken while a table was small, the planner keeps choosing sequential scans
 * as it grows (10k-run seeding ran 8x slower); and upserted rows (latest metrics) leave dead tuples.
 * So: analyze tables that outgrew their statistics (checked every 10 s), and VACUUM ANALYZE every 10 minutes.
 */
function startPgliteMaintenance(pglite: PGlite): NodeJS.Timeout[] {
  const analyzeOutgrown = async () => {
    if (pglite.closed) return;
    const { rows } = await pglite.query<{ name: string }>(OUTGROWN_TABLES);
    for (const { name } of rows) if (!pglite.closed) await pglite.exec(`ANALYZE ${name}`);
  };
  const timers = [
    setInterval(() => void analyzeOutgrown().catch(() => undefined), PGLITE_ANALYZE_CHECK_MS),
    setInterval(
      () => void (pglite.closed ? undefined : pglite.exec('VACUUM ANALYZE').catch(() => undefined)),
      PGLITE_VACUUM_MS,
    ),
  ];
  for (const t of timers) t.unref();
  void analyzeOutgrown().catch(() => undefined);
  return timers;
}

async function openPostgres(url: string, poolSize: number): Promise<Store> {
  const types = {
    getTypeParser: ((oid: number, format?: string) =>
      oid === INT8_OID
        ? parseInt8
        : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      const runner: ScriptRunner = {
        script: async (sql) => {
          await client.query(sql);
        },
        rows: async <T>(sql: string) => (await client.query(sql)).rows as T[],
      };
      await migrate(runner);
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw wrapOpenError(err, `the Postgres server at ${redactUrl(url)}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listeners: pg.Client[] = [];
  return {
    kind: 'postgres',
    db,
    lock: undefined,
    async listen(channel, onPayload) {
      const client = new pg.Client({ connectionString: url, types });
      client.on('error', () => undefined);
      await client.connect();
      client.on('notification', (n) => {
        if (n.channel === channel && n.payload !== undefined) onPayload(n.payload);
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        await client.end().catch(() => undefined);
      };
    },
    async close() {
      await Promise.all(listeners.map((c) => c.end().catch(() => undefined)));
      await db.destroy();
    },
  };
}

function wrapOpenError(err: unknown, what: string): Error {
  if (err instanceof CyclopsError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new CyclopsError('unavailable', `Could not open ${what}: ${message}`, {}, { cause: err });
}
