import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCyclopsError } from '../core/index.js';
import { ingestFile, type ReadTableOptions, readTable, withSession } from './index.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cyclops-columnar-test-'));
  await mkdir(join(dir, 'bad'));
  await mkdir(join(dir, 'bad-out'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('text encodings and headers', () => {
  it('reads a Latin-1 CSV when the encoding is given', async () => {
    const path = join(dir, 'latin1.csv');
    await writeFile(path, Buffer.from('name,city\nJos\xe9,S\xe3o Paulo\nRen\xe9e,K\xf6ln\n', 'latin1'));
    await withSession(async (s) => {
      const { table } = await readTable(s, { path, format: 'csv', encoding: 'latin1' });
      expect(await s.rows(`SELECT * FROM ${table}`)).toEqual([
        { name: 'José', city: 'São Paulo' },
        { name: 'Renée', city: 'Köln' },
      ]);
    });
  });

  it('reads a header-only CSV as 0 rows with its columns', async () => {
    const path = join(dir, 'header.csv');
    await writeFile(path, 'a,b,c\n');
    const result = await ingestFile({ path, format: 'csv' }, join(dir, 'header.parquet'));
    expect(result.rowCount).toBe(0);
    expect(result.schema.columns.map((c) => [c.name, c.type])).toEqual([
      ['a', 'string'],
      ['b', 'string'],
      ['c', 'string'],
    ]);
  });

  it('reads TSV and explicit dialects', async () => {
    const tsv = join(dir, 't.tsv');
    await writeFile(tsv, 'a\tb\n1\tx y\n');
    const semi = join(dir, 's.csv');
    await writeFile(semi, "1;'p;q'\n2;r\n");
    await withSession(async (s) => {
      const t = await readTable(s, { path: tsv, format: 'tsv', table: 't' });
      expect(await s.rows(`SELECT * FROM ${t.table}`)).toEqual([{ a: 1n, b: 'x y' }]);
      const c = await readTable(s, {
        path: semi,
        format: 'csv',
        delimiter: ';',
        quote: "'",
        header: false,
        table: 'c',
      });
      expect(await s.rows(`SELECT * FROM ${c.table}`)).toEqual([
        { column0: 1n, column1: 'p;q' },
        { column0: 2n, column1: 'r' },
      ]);
    });
  });
});

describe('bad input', () => {
  const cases: {
    name: string;
    format: ReadTableOptions['format'];
    content: string | Buffer;
    error: RegExp;
  }[] = [
    { name: 'empty.csv', format: 'csv', content: '', error: /empty/ },
    {
      name: 'ragged.csv',
      format: 'csv',
      content: 'a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n',
      error: /line 3.*Expected Number of Columns: 3 Found: 4/,
    },
    { name: 'short.csv', format: 'csv', content: 'a,b,c\n1,2,3\n4,5\n', error: /line 3.*Found: 2/ },
    // A wider LAST line once made DuckDB take it for the header and return 0 rows.
    {
      name: 'ragged-last.csv',
      format: 'csv',
      content: 'a,b,c\n1,2,3\n4,5,6,7\n',
      error: /different number of fields|Expected Number of Columns/,
    },
    {
      name: 'unterminated.csv',
      format: 'csv',
      content: 'a,b\n1,"abc\n2,x\n',
      error: /line 2.*unterminated quote/,
    },
    {
      name: 'not-utf8.csv',
      format: 'csv',
      content: Buffer.from('a,b\n1,ab\xff\xfec\n', 'latin1'),
      error: /line 2.*Invalid unicode/,
    },
    { name: 'duplicate.csv', format: 'csv', content: 'a,b,a\n1,2,3\n', error: /duplicate column name 'a'/ },
    { name: 'case-duplicate.csv', format: 'csv', content: 'a,A\n1,2\n', error: /duplicate column name 'A'/ },
    { name: 'empty-name.csv', format: 'csv', content: 'a,,b\n1,2,3\n', error: /column 2 has an empty name/ },
    { name: 'empty.parquet', format: 'parquet', content: '', error: /empty/ },
    {
      name: 'junk.parquet',
      format: 'parquet',
      content: 'not a parquet file',
      error: /too small to be a Parquet file|magic/,
    },
    { name: 'object.json', format: 'json', content: '{"a": 1}', error: /expected a JSON array of objects/ },
    { name: 'numbers.json', format: 'json', content: '[1, 2, 3]', error: /expected a JSON array of objects/ },
    {
      name: 'arrays.jsonl',
      format: 'jsonl',
      content: '{"a": 1}\n[1]\n',
      error: /expected one JSON object per line/,
    },
    { name: 'broken.jsonl', format: 'jsonl', content: '{"a": 1}\n{"a": \n', error: /Malformed JSON/ },
  ];

  for (const c of cases) {
    it(`rejects ${c.name}`, async () => {
      const path = join(dir, 'bad', c.name);
      const out = join(dir, 'bad-out', `${c.name}.parquet`);
      await writeFile(path, c.content);
      const err = await ingestFile({ path, format: c.format }, out).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isCyclopsError(err) && err.code).toBe('invalid_argument');
      const message = (err as Error).message;
      expect(message).toContain(c.name);
      expect(message).toMatch(c.error);
      expect(message).not.toContain(dir);
      expect(await readdir(join(dir, 'bad-out'))).toEqual([]);
    });
  }

  it('detects UTF-16 (with or without a byte-order mark) when no encoding is given', async () => {
    const text = 'name,city\nJosé,São Paulo\nRenée,Köln\n';
    const le = join(dir, 'utf16le-bom.csv');
    await writeFile(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const be = join(dir, 'utf16be.csv');
    // Node has no utf-16be codec: swap the bytes of each UTF-16LE unit.
    await writeFile(be, Buffer.from(text, 'utf16le').swap16());
    const utf8 = join(dir, 'utf8-bom.csv');
    await writeFile(utf8, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const hashes: string[] = [];
    for (const path of [le, be, utf8]) {
      await withSession(async (s) => {
        const { table } = await readTable(s, { path, format: 'csv' });
        expect(await s.rows(`SELECT * FROM ${table}`)).toEqual([
          { name: 'José', city: 'São Paulo' },
          { name: 'Renée', city: 'Köln' },
        ]);
      });
      hashes.push((await ingestFile({ path, format: 'csv' }, `${path}.parquet`)).contentHash);
    }
    expect(new Set(hashes).size).toBe(1);
  });

  it('reads undeclared Latin-1 as UTF-8 and fails naming the file, rather than guessing', async () => {
    const path = join(dir, 'undeclared-latin1.csv');
    await writeFile(path, Buffer.from('name\nJos\xe9\n', 'latin1'));
    await withSession(async (s) => {
      await expect(readTable(s, { path, format: 'csv' })).rejects.toThrow(/undeclared-latin1\.csv/);
    });
  });

  it('rejects bytes invalid in the declared encoding, and unknown encodings', async () => {
    const path = join(dir, 'utf16.csv');
    await writeFile(path, Buffer.from([0x61, 0x00, 0x0a]));
    await withSession(async (s) => {
      await expect(readTable(s, { path, format: 'csv', encoding: 'no-such-encoding' })).rejects.toThrow(
        /utf16\.csv: unsupported encoding/,
      );
      await expect(readTable(s, { path, format: 'csv', encoding: 'utf-16le' })).rejects.toThrow(
        /not valid utf-16le/,
      );
    });
  });
});
