import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBResult, type JS } from '@duckdb/node-api';

export interface DuckSessionOptions {
  /** DuckDB `memory_limit`; past it, operators spill to a private temp directory. */
  memoryLimit?: string;
  threads?: number;
}

// Sized for the 2-core, few-GB machines CyclOps targets as its floor: a worker may run several
// sessions next to the API process, so one session must not take DuckDB's default of 80% of RAM.
export const DEFAULT_MEMORY_LIMIT = '1GB';
export const DEFAULT_THREADS = 2;

/**
 * One in-memory DuckDB database and one connection. Tables loaded into it vanish on close(), so a
 * session is cheap to open per operation (ingest, profile, batch score) and nothing leaks between them.
 */
export class DuckSession {
  private closed = false;

  private constructor(
    readonly connection: DuckDBConnection,
    private readonly instance: DuckDBInstance,
    private readonly tempDirectory: string,
    /** False for a session made by beside(): it closes its connection only. */
    private readonly ownsInstance = true,
  ) {}

  static async open(options: DuckSessionOptions = {}): Promise<DuckSession> {
    const tempDirectory = join(tmpdir(), `cyclops-duckdb-${randomUUID()}`);
    const instance = await DuckDBInstance.create(':memory:', {
      memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
      threads: String(options.threads ?? DEFAULT_THREADS),
      // An in-memory database spills to ./.tmp by default: keep spill files out of the working directory.
      temp_directory: tempDirectory,
      // Self-hosted installs may be offline: fail on a missing extension instead of trying to download it.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
      // Row order is part of a dataset's content (and of its hash): keep it through every scan and COPY.
      preserve_insertion_order: 'true',
    });
    try {
      return new DuckSession(await instance.connect(), instance, tempDirectory);
    } catch (err) {
      instance.closeSync();
      throw err;
    }
  }

  /** Runs statements whose result is not needed (DDL, COPY). */
  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /**
   * Runs `fn` with a session on a connection of its own over the same database, so its queries proceed
   * while this session's connection runs others (DuckDB's threads are shared between them): for a long
   * COPY or aggregate that can overlap work the caller does meanwhile.
   */
  async beside<T>(fn: (session: DuckSession) => Promise<T>): Promise<T> {
    const side = new DuckSession(await this.instance.connect(), this.instance, this.tempDirectory, false);
    try {
      return await fn(side);
    } finally {
      await side.close();
    }
  }

  /** Runs a query and materializes its rows as plain JS values (BIGINT as bigint). For small results only. */
  async rows(sql: string): Promise<Record<string, JS>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS();
  }

  /** Runs a query whose result is pulled chunk by chunk (`fetchChunk()`), never whole into memory. */
  async stream(sql: string): Promise<DuckDBResult> {
    return this.connection.stream(sql);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.connection.closeSync();
    if (!this.ownsInstance) return;
    this.instance.closeSync();
    await rm(this.tempDirectory, { recursive: true, force: true });
  }
}

/** Opens a session for the length of `fn` and always closes it. */
export async function withSession<T>(
  fn: (session: DuckSession) => Promise<T>,
  options?: DuckSessionOptions,
): Promise<T> {
  const session = await DuckSession.open(options);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}
