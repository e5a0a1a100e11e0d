import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CyclopsError } from '../core/index.js';
import { LocalArtifactStore, UPLOAD_DIR } from './local-artifact-store.js';

let base: string;
let rootDir: string;
let store: LocalArtifactStore;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'cyclops-artifacts-'));
  rootDir = join(base, 'root');
  store = new LocalArtifactStore(rootDir);
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function leftovers(): Promise<string[]> {
  return readdir(join(rootDir, UPLOAD_DIR)).catch(() => []);
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<CyclopsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CyclopsError);
  expect((err as CyclopsError).code).toBe(code);
  return err as CyclopsError;
}

describe('LocalArtifactStore put/get', () => {
  it('round-trips a streamed 20 MB upload with its sha256', async () => {
    const chunkSize = 64 * 1024;
    const chunks = (20 * 1024 * 1024) / chunkSize;
    const expected = createHash('sha256');
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < chunks; i++) {
          const chunk = Buffer.alloc(chunkSize, i % 251);
          chunk.writeUInt32LE(i, 0);
          expected.update(chunk);
          yield chunk;
        }
      })(),
    );
    const result = await store.put('runs/r1/model.bin', source);
    const digest = expected.digest('hex');
    expect(result).toEqual({ path: 'runs/r1/model.bin', size: 20 * 1024 * 1024, sha256: digest });
    const back = await readAll(await store.get('runs/r1/model.bin'));
    expect(back.length).toBe(20 * 1024 * 1024);
    expect(createHash('sha256').update(back).digest('hex')).toBe(digest);
    expect(await leftovers()).toEqual([]);
  });

  it('stores Buffers and strings, normalizes the path and overwrites', async () => {
    expect((await store.put('./a//b.txt', Buffer.from('one'))).path).toBe('a/b.txt');
    await store.writeText('a/b.txt', 'two');
    expect(await store.readText('a//b.txt')).toBe('two');
    expect(await readFile(join(rootDir, 'a', 'b.txt'), 'utf8')).toBe('two');
  });

  it('reports a missing artifact as not_found and a directory as invalid', async () => {
    await expectCode(store.get('nope.txt'), 'not_found');
    await store.writeText('d/f.txt', 'x');
    await expectCode(store.get('d/f.txt/deeper'), 'not_found');
    await expectCode(store.get('d'), 'invalid_argument');
  });

  it('refuses to put a file over a directory or under a file', async () => {
    await store.writeText('d/f.txt', 'x');
    await expectCode(store.writeText('d', 'y'), 'conflict');
    await expectCode(store.writeText('d/f.txt/g', 'y'), 'conflict');
    expect(await leftovers()).toEqual([]);
  });

  it('stat and exists', async () => {
    expect(await store.stat('a.txt')).toBeUndefined();
    expect(await store.exists('a.txt')).toBe(false);
    await store.writeText('dir/a.txt', 'hello');
    const st = await store.stat('dir/a.txt');
    expect(st).toMatchObject({ size: 5, isDir: false });
    expect(st?.modifiedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(await store.stat('dir')).toMatchObject({ size: 0, isDir: true });
    expect(await store.exists('dir/a.txt')).toBe(true);
  });
});

describe('LocalArtifactStore failed uploads leave nothing', () => {
  it('rejects an upload over maxBytes with payload_too_large', async () => {
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 10; i++) yield Buffer.alloc(1024, 1);
      })(),
    );
    const err = await expectCode(store.put('big/file.bin', source, { maxBytes: 4096 }), 'payload_too_large');
    expect(err.details).toMatchObject({ path: 'big/file.bin', maxBytes: 4096 });
    expect(await store.exists('big/file.bin')).toBe(false);
    expect(await store.exists('big')).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('accepts an upload of exactly maxBytes, and refuses a nonsensical limit', async () => {
    expect((await store.put('f.bin', Buffer.alloc(4096), { maxBytes: 4096 })).size).toBe(4096);
    for (const maxBytes of [-1, 1.5, Number.NaN]) {
      const err = await expectCode(store.put('g.bin', 'x', { maxBytes }), 'invalid_argument');
      expect(err.details).toEqual({ field: 'maxBytes' });
    }
  });

  it('keeps the previous version when an overwrite fails', async () => {
    await store.writeText('f.txt', 'old');
    await expectCode(store.put('f.txt', 'much too long', { maxBytes: 4 }), 'payload_too_large');
    expect(await store.readText('f.txt')).toBe('old');
  });

  it('removes everything when the source errors mid-upload', async () => {
    const source = Readable.from(
      (async function* () {
        yield Buffer.alloc(1024 * 1024, 7);
        throw new Error('connection reset by peer');
      })(),
    );
    await expect(store.put('up/x.bin', source)).rejects.toThrow('connection reset by peer');
    expect(await store.exists('up/x.bin')).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('removes everything when the source is destroyed (an aborted request)', async () => {
    const source = new Readable({ read() {} });
    source.push(Buffer.alloc(1024, 1));
    setTimeout(() => source.destroy(), 20);
    await expect(store.put('up/y.bin', source)).rejects.toThrow();
    expect(await store.exists('up/y.bin')).toBe(false);
    expect(await leftovers()).toEqual([]);
  });
});

describe('LocalArtifactStore list and delete', () => {
  beforeEach(async () => {
    await store.writeText('a.txt', '1');
    await store.writeText('dir/b.txt', '22');
    await store.writeText('dir/sub/c.txt', '333');
  });

  it('lists immediate children by default, the root with an empty prefix', async () => {
    expect(await store.list('')).toEqual([
      { path: 'a.txt', isDir: false, size: 1 },
      { path: 'dir', isDir: true, size: 0 },
    ]);
    expect(await store.list('dir/')).toEqual([
      { path: 'dir/b.txt', isDir: false, size: 2 },
      { path: 'dir/sub', isDir: true, size: 0 },
    ]);
  });

  it('lists every descendant when recursive', async () => {
    expect((await store.list('', { recursive: true })).map((e) => e.path)).toEqual([
      'a.txt',
      'dir',
      'dir/b.txt',
      'dir/sub',
      'dir/sub/c.txt',
    ]);
  });

  it('lists nothing under a missing prefix or a file', async () => {
    expect(await store.list('missing')).toEqual([]);
    expect(await store.list('a.txt')).toEqual([]);
  });

  it('deletes a file and a directory tree', async () => {
    expect(await store.delete('a.txt')).toBe(true);
    expect(await store.delete('a.txt')).toBe(false);
    expect(await store.delete('dir')).toBe(true);
    expect(await store.list('', { recursive: true })).toEqual([]);
  });
});

describe('LocalArtifactStore path safety', () => {
  it.each(['../outside.txt', '/etc/passwd', 'C:/x', 'a\\b', 'a\0b', `${UPLOAD_DIR}/x`])(
    'rejects %j on every operation',
    async (path) => {
      await expectCode(store.writeText(path, 'x'), 'invalid_argument');
      await expectCode(store.get(path), 'invalid_argument');
      await expectCode(store.stat(path), 'invalid_argument');
      await expectCode(store.delete(path), 'invalid_argument');
      await expectCode(store.list(path), 'invalid_argument');
    },
  );

  it('refuses to read, write, list or delete through a symlink leading outside the root', async () => {
    const outside = join(base, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await mkdir(rootDir, { recursive: true });
    await symlink(outside, join(rootDir, 'escape'), 'dir');
    await symlink(join(outside, 'secret.txt'), join(rootDir, 'secret-link'), 'file');

    await expectCode(store.get('escape/secret.txt'), 'invalid_argument');
    await expectCode(store.readText('secret-link'), 'invalid_argument');
    await expectCode(store.writeText('escape/new.txt', 'pwned'), 'invalid_argument');
    await expectCode(store.writeText('escape/deep/new.txt', 'pwned'), 'invalid_argument');
    await expectCode(store.writeText('secret-link', 'pwned'), 'invalid_argument');
    await expectCode(store.stat('escape'), 'invalid_argument');
    await expectCode(store.list('escape'), 'invalid_argument');
    await expectCode(store.delete('escape/secret.txt'), 'invalid_argument');

    expect(await readdir(outside)).toEqual(['secret.txt']);
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    expect(await store.list('')).toEqual([]);
  });

  it('refuses a path through a dangling symlink directory', async () => {
    await mkdir(rootDir, { recursive: true });
    await symlink(join(base, 'not-yet'), join(rootDir, 'dangling'), 'dir');
    await expectCode(store.writeText('dangling/x.txt', 'x'), 'invalid_argument');
    expect(await readdir(base)).toEqual(['root']);
  });

  it('follows a symlink that stays inside the root', async () => {
    await store.writeText('real/f.txt', 'inside');
    await symlink(join(rootDir, 'real'), join(rootDir, 'alias'), 'dir');
    expect(await store.readText('alias/f.txt')).toBe('inside');
    expect((await store.list('')).map((e) => e.path)).toEqual(['alias', 'real']);
  });
});
