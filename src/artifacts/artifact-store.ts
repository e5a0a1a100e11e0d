import type { Readable } from 'node:stream';

export type ArtifactData = Readable | Buffer | Uint8Array | string;

export interface PutOptions {
  /** Refuse the upload with `payload_too_large` once it exceeds this many bytes. */
  maxBytes?: number;
}

export interface PutResult {
  /** The normalized path the artifact was stored under. */
  path: string;
  size: number;
  /** Hex SHA-256 of the stored bytes. */
  sha256: string;
}

export interface ArtifactStat {
  size: number;
  /** Milliseconds since the epoch. */
  modifiedAt: number;
  isDir: boolean;
}

export interface ArtifactEntry {
  path: string;
  isDir: boolean;
  /** Bytes for a file; 0 for a directory. */
  size: number;
}

export interface ListOptions {
  /** All descendants instead of immediate children only. */
  recursive?: boolean;
}

/**
 * Where artifacts, models and Parquet files live. Paths are relative, `/`-separated and validated by
 * `validateArtifactPath`; errors are `CyclopsError`s (`invalid_argument`, `not_found`,
 * `payload_too_large`, `conflict`). A `put` that resolved is durable and a failed one leaves nothing.
 */
export interface ArtifactStore {
  put(path: string, data: ArtifactData, opts?: PutOptions): Promise<PutResult>;
  /** The bytes of a file; `not_found` when there is none. */
  get(path: string): Promise<Readable>;
  stat(path: string): Promise<ArtifactStat | undefined>;
  exists(path: string): Promise<boolean>;
  /** Immediate children of the directory `prefix` (`''` is the root), sorted by path; [] when absent. */
  list(prefix: string, opts?: ListOptions): Promise<ArtifactEntry[]>;
  /** Removes a file or a directory tree; true when something was there. */
  delete(path: string): Promise<boolean>;
  readText(path: string): Promise<string>;
  writeText(path: string, text: string, opts?: PutOptions): Promise<PutResult>;
}
