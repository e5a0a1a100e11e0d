import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend, openTestStore, type TestStore } from '../../../test/helpers/stores.js';
import { CyclopsError } from '../../core/index.js';
import type { Db } from '../../store/index.js';
import { type SearchRunsOptions, searchRunIds } from './compile.js';
import { parseFilter } from './filter-parser.js';
import { parseOrderBy } from './order-by.js';

interface FixtureRun {
  name: string;
  project?: string;
  experiment?: number;
  deleted?: boolean;
  status?: 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';
  user?: string;
  start: number;
  end?: number;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
}

/**
 * Hand-checked fixture. In experiment 0, active, the default order (start_time DESC, run_uuid) is
 * e d c h b a j: c and h share a start time, as do a and j.
 */
const RUNS: FixtureRun[] = [
  {
    name: 'a',
    user: 'alice',
    start: 1000,
    end: 2000,
    metrics: { acc: 0.95, loss: 0.2 },
    params: { lr: '0.01', opt: 'adam' },
    tags: { team: 'Vision', 'mlflow.runName': 'a' },
  },
  {
    name: 'b',
    user: 'bob',
    start: 2000,
    end: 3000,
    metrics: { acc: 0.85, loss: 0.3 },
    params: { lr: '0.01', opt: 'sgd' },
    tags: { team: 'vision' },
  },
  {
    name: 'c',
    status: 'FAILED',
    user: 'alice',
    start: 3000,
    metrics: { acc: 0.91, loss: Number.NaN },
    params: { lr: '0.1' },
    tags: { team: 'nlp', note: "it's" },
  },
  { name: 'd', status: 'RUNNING', user: 'bob', start: 4000, params: { lr: '0.001' } },
  {
    name: 'e',
    user: 'carol',
    start: 5000,
    end: 6000,
    metrics: { acc: 0.99, loss: 0.2 },
    params: { opt: 'adam' },
    tags: { team: 'VISION' },
  },
  {
    name: 'f',
    experiment: 1,
    start: 2500,
    end: 2600,
    metrics: { acc: 0.97, loss: 0.1 },
    params: { lr: '0.01' },
  },
  { name: 'g', deleted: true, start: 6000, end: 6100, metrics: { acc: 0.99 }, params: { lr: '0.01' } },
  {
    name: 'h',
    user: 'carol',
    start: 3000,
    end: 3100,
    metrics: { acc: 0.5, loss: 0.5 },
    params: { lr: '0.01' },
    tags: { team: 'nlp' },
  },
  { name: 'i', project: 'other', experiment: 2, start: 7000, metrics: { acc: 0.99 }, params: { lr: '0.01' } },
  {
    name: 'j',
    status: 'KILLED',
    user: 'bob',
    start: 1000,
    end: 1500,
    metrics: { loss: 0.3 },
    params: { lr: "0.01' OR 1=1 --" },
    tags: { 'my key': 'spaced', "quo'te": 'v', 'dq"key': 'w' },
  },
];

/** A generated experiment (3) with many ties, gaps and a NaN, checked against a reference sort. */
const GENERATED: FixtureRun[] = Array.from({ length: 30 }, (_, i) => {
  const n = 100 + i;
  const metrics: Record<string, number> = {};
  if (n % 5 !== 0) metrics.m = n % 11 === 0 ? Number.NaN : (n % 4) * 0.5 - 0.5;
  const params: Record<string, string> = {};
  if (n % 3 !== 0) params.p = `v${n % 4}`;
  return {
    name: `g${n}`,
    experiment: 3,
    start: 10_000 + (n % 7) * 10,
    ...(n % 2 === 0 ? { end: 20_000 + (n % 6) } : {}),
    metrics,
    params,
    tags: (n % 2 ? { t: `t${n % 3}` } : {}) as Record<string, string>,
  };
});

const ALL = [...RUNS, ...GENERATED];
const runId = (index: number): string => (index + 1).toString(16).padStart(32, '0');
const ID_BY_NAME = new Map(ALL.map((r, i) => [r.name, runId(i)]));
const NAME_BY_ID = new Map(ALL.map((r, i) => [runId(i), r.name]));

async function insertFixture(db: Db): Promise<void> {
  await db.insertInto('projects').values({ id: 'other', name: 'Other', created_at: 1 }).execute();
  await db
    .insertInto('experiments')
    .values([
      {
        experiment_id: 1,
        project_id: 'default',
        name: 'one',
        artifact_location: 'x',
        lifecycle_stage: 'active',
        creation_time: 1,
        last_update_time: 1,
      },
      {
        experiment_id: 2,
        project_id: 'other',
        name: 'two',
        artifact_location: 'x',
        lifecycle_stage: 'active',
        creation_time: 1,
        last_update_time: 1,
      },
      {
        experiment_id: 3,
        project_id: 'default',
        name: 'three',
        artifact_location: 'x',
        lifecycle_stage: 'active',
        creation_time: 1,
        last_update_time: 1,
      },
    ])
    .execute();
  const runs = ALL.map((r, i) => ({
    run_uuid: runId(i),
    project_id: r.project ?? 'default',
    experiment_id: r.experiment ?? 0,
    name: r.name,
    user_id: r.user ?? 'alice',
    status: r.status ?? 'FINISHED',
    start_time: r.start,
    end_time: r.end ?? null,
    lifecycle_stage: r.deleted ? ('deleted' as const) : ('active' as const),
    deleted_time: null,
    artifact_uri: `runs/${r.name}`,
  }));
  await db.insertInto('runs').values(runs).execute();
  const kv = (pick: (r: FixtureRun) => Record<string, string> | undefined) =>
    ALL.flatMap((r, i) =>
      Object.entries(pick(r) ?? {}).map(([key, value]) => ({
        run_uuid: runId(i),
        project_id: 'default',
        key,
        value,
      })),
    );
  await db
    .insertInto('params')
    .values(kv((r) => r.params))
    .execute();
  await db
    .insertInto('tags')
    .values(kv((r) => r.tags))
    .execute();
  const metrics = ALL.flatMap((r, i) =>
    Object.entries(r.metrics ?? {}).map(([key, value]) => ({
      run_uuid: runId(i),
      project_id: 'default',
      key,
      value,
      timestamp: 1,
      step: 0,
    })),
  );
  await db.insertInto('latest_metrics').values(metrics).execute();
}

/** MLflow's order with Postgres's NaN: keys with missing values last, then start_time DESC, run_uuid ASC. */
function referenceOrder(
  runs: FixtureRun[],
  order: { get: (r: FixtureRun) => number | string | undefined; asc: boolean }[],
): string[] {
  const cmp = (x: number | string, y: number | string): number => {
    if (typeof x === 'number' && typeof y === 'number') {
      if (Number.isNaN(x) || Number.isNaN(y))
        return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? 1 : -1;
      return x - y;
    }
    return x < y ? -1 : x > y ? 1 : 0;
  };
  return [...runs]
    .sort((r1, r2) => {
      for (const { get, asc } of order) {
        const v1 = get(r1);
        const v2 = get(r2);
        if (v1 === undefined || v2 === undefined) {
          if (v1 !== v2) return v1 === undefined ? 1 : -1;
          continue;
        }
        const c = cmp(v1, v2);
        if (c !== 0) return asc ? c : -c;
      }
      if (r1.start !== r2.start) return r2.start - r1.start;
      return ID_BY_NAME.get(r1.name)! < ID_BY_NAME.get(r2.name)! ? -1 : 1;
    })
    .map((r) => r.name);
}

describe.each(BACKENDS)('searchRunIds on %s', (backend: Backend) => {
  let t: TestStore;
  let db: Db;

  beforeAll(async () => {
    t = await openTestStore(backend);
    db = t.store.db;
    await insertFixture(db);
  });

  afterAll(async () => {
    await t?.dispose();
  });

  function options(filter: string, orderBy: string[], over: Partial<SearchRunsOptions>): SearchRunsOptions {
    return {
      projectId: 'default',
      experimentIds: [0],
      filter: parseFilter(filter),
      orderBy: parseOrderBy(orderBy),
      lifecycle: 'active',
      maxResults: 1000,
      ...over,
    };
  }

  async function search(
    filter = '',
    orderBy: string[] = [],
    over: Partial<SearchRunsOptions> = {},
  ): Promise<string[]> {
    const page = await searchRunIds(db, options(filter, orderBy, over));
    expect(page.nextPageToken).toBeUndefined();
    return page.runIds.map((id) => NAME_BY_ID.get(id) ?? id);
  }

  async function walk(
    filter: string,
    orderBy: string[],
    over: Partial<SearchRunsOptions>,
    size: number,
  ): Promise<string[]> {
    const names: string[] = [];
    let pageToken: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await searchRunIds(db, options(filter, orderBy, { ...over, maxResults: size, pageToken }));
      expect(page.runIds.length).toBeLessThanOrEqual(size);
      names.push(...page.runIds.map((id) => NAME_BY_ID.get(id) ?? id));
      if (!page.nextPageToken) return names;
      expect(page.runIds).toHaveLength(size);
      pageToken = page.nextPageToken;
    }
    throw new Error('pagination did not end');
  }

  async function rejection(promise: Promise<unknown>): Promise<CyclopsError> {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CyclopsError);
    return err as CyclopsError;
  }

  describe('scope', () => {
    it('returns active runs of the experiments, newest first, run id breaking ties', async () => {
      expect(await search()).toEqual(['e', 'd', 'c', 'h', 'b', 'a', 'j']);
      expect(await search('', [], { experimentIds: [0, 1] })).toEqual([
        'e',
        'd',
        'c',
        'h',
        'f',
        'b',
        'a',
        'j',
      ]);
      expect(await search('', [], { experimentIds: [] })).toEqual([]);
    });

    it('filters by lifecycle', async () => {
      expect(await search('', [], { lifecycle: 'deleted' })).toEqual(['g']);
      expect(await search('', [], { lifecycle: 'all' })).toEqual(['g', 'e', 'd', 'c', 'h', 'b', 'a', 'j']);
    });

    it('stays inside the project', async () => {
      expect(await search('', [], { projectId: 'other', experimentIds: [2] })).toEqual(['i']);
      expect(await search('', [], { experimentIds: [2] })).toEqual([]);
      expect(await search('', [], { projectId: 'other', experimentIds: [0] })).toEqual([]);
    });
  });

  describe('metrics', () => {
    it.each([
      ['metrics.acc > 0.9', ['e', 'c', 'a']],
      ['metrics.acc >= 0.95', ['e', 'a']],
      ['metrics.acc = 0.85', ['b']],
      ['metrics.acc != 0.85', ['e', 'c', 'h', 'a']],
      ['metrics.acc < 0.9', ['h', 'b']],
      ['metrics.acc <= 0.91', ['c', 'h', 'b']],
      ['metrics.acc > -1', ['e', 'c', 'h', 'b', 'a']],
      ['metrics.acc < 9.5e-1', ['c', 'h', 'b']],
      ['metrics.loss < 0.25', ['e', 'a']],
      ['metrics.missing > 0', []],
    ])('%s', async (filter, expected) => {
      expect(await search(filter)).toEqual(expected);
    });
  });

  describe('params', () => {
    it.each([
      ["params.lr = '0.01'", ['h', 'b', 'a']],
      ["params.lr != '0.01'", ['d', 'c', 'j']],
      ["params.lr IN ('0.1', '0.001')", ['d', 'c']],
      ["params.lr NOT IN ('0.01')", ['d', 'c', 'j']],
      ["params.lr LIKE '0.0%'", ['d', 'h', 'b', 'a', 'j']],
      ["params.opt ILIKE 'ADAM'", ['e', 'a']],
      ["params.opt LIKE 'ADAM'", []],
      ['params.lr IS NULL', ['e']],
      ['params.lr IS NOT NULL', ['d', 'c', 'h', 'b', 'a', 'j']],
      ['params.opt IS NULL', ['d', 'c', 'h', 'j']],
    ])('%s', async (filter, expected) => {
      expect(await search(filter)).toEqual(expected);
    });
  });

  describe('tags', () => {
    it.each([
      ["tags.team = 'Vision'", ['a']],
      ["tags.team LIKE 'vision'", ['b']],
      ["tags.team ILIKE 'vision'", ['e', 'b', 'a']],
      ["tags.team LIKE 'V%'", ['e', 'a']],
      ["tags.team ILIKE 'v%'", ['e', 'b', 'a']],
      ["tags.team LIKE '_lp'", ['c', 'h']],
      ["tags.mlflow.runName = 'a'", ['a']],
      ["tags.note = 'it''s'", ['c']],
      ['tags.note IS NULL', ['e', 'd', 'h', 'b', 'a', 'j']],
      ["tags.`my key` = 'spaced'", ['j']],
      ['tags."my key" != \'other\'', ['j']],
      ["tags.`quo'te` = 'v'", ['j']],
      ['tags."dq""key" = \'w\'', ['j']],
    ])('%s', async (filter, expected) => {
      expect(await search(filter)).toEqual(expected);
    });
  });

  describe('attributes', () => {
    it.each([
      ["attributes.status = 'FINISHED'", ['e', 'h', 'b', 'a']],
      ["status IN ('FAILED', 'KILLED')", ['c', 'j']],
      ["attr.status NOT IN ('FINISHED')", ['d', 'c', 'j']],
      ["attributes.run_name ILIKE 'A'", ['a']],
      ["attributes.run_name LIKE 'A'", []],
      ["attributes.`Run name` = 'h'", ['h']],
      [`attributes.run_id = '${runId(2)}'`, ['c']],
      [`run.run_id IN ('${runId(0)}', '${runId(1)}')`, ['b', 'a']],
      [`attributes.run_id LIKE '%3'`, ['c']],
      ["attributes.user_id = 'bob'", ['d', 'b', 'j']],
      ["attributes.user_id != 'bob'", ['e', 'c', 'h', 'a']],
      ['attributes.start_time >= 3000', ['e', 'd', 'c', 'h']],
      ['created > 4000', ['e']],
      ['attributes.end_time < 3000', ['a', 'j']],
      ['attributes.end_time != 2000', ['e', 'h', 'b', 'j']],
      ["attributes.artifact_uri = 'runs/c'", ['c']],
    ])('%s', async (filter, expected) => {
      expect(await search(filter)).toEqual(expected);
    });
  });

  it('ANDs comparisons across entities', async () => {
    expect(await search("metrics.acc > 0.9 AND params.lr = '0.01'")).toEqual(['a']);
    expect(await search("tags.team ILIKE 'vision' AND status = 'FINISHED' AND metrics.loss <= 0.2")).toEqual([
      'e',
      'a',
    ]);
    expect(await search("params.opt = 'adam' AND params.opt != 'adam'")).toEqual([]);
  });

  describe('injection', () => {
    it('binds string values: a doubled quote is data, not SQL', async () => {
      expect(await search("params.lr = '0.01'' OR 1=1 --'")).toEqual(['j']);
      expect(await search("params.lr = '0'' OR ''1''=''1'")).toEqual([]);
      expect(await search("attributes.run_name = 'x''; DROP TABLE runs; --'")).toEqual([]);
      expect(await search("params.lr IN ('a'') OR (1=1', 'b')")).toEqual([]);
    });

    it('binds keys, including ones with quotes and SQL', async () => {
      expect(await search("tags.`x' OR 1=1 --` = 'v'")).toEqual([]);
      expect(await search('tags."x"" OR 1=1 --" IS NOT NULL')).toEqual([]);
      expect(await search("params.`lr'; DROP TABLE params; --` IS NULL")).toEqual([
        'e',
        'd',
        'c',
        'h',
        'b',
        'a',
        'j',
      ]);
      expect(await search('', ["metrics.`acc' DESC; --`"])).toEqual(['e', 'd', 'c', 'h', 'b', 'a', 'j']);
      const { count } = await db
        .selectFrom('params')
        .select(sql<number>`count(*)::int`.as('count'))
        .executeTakeFirstOrThrow();
      expect(count).toBeGreaterThan(0);
    });

    it('rejects what is not the filter language before it reaches SQL', () => {
      expect(() => parseFilter("params.lr = '0.01' OR 1=1 --")).toThrow(/'OR' is not supported/);
      expect(() => parseFilter("params.lr = '0.01'; DROP TABLE runs")).toThrow(/Unexpected character ';'/);
    });
  });

  describe('order', () => {
    it.each([
      [['metrics.acc'], ['h', 'b', 'c', 'a', 'e', 'd', 'j']],
      [['metrics.acc DESC'], ['e', 'a', 'c', 'b', 'h', 'd', 'j']],
      // NaN sorts as Postgres sorts it: above every number, below a missing value.
      [['metrics.loss ASC'], ['e', 'a', 'b', 'j', 'h', 'c', 'd']],
      [['metrics.loss DESC'], ['c', 'h', 'b', 'j', 'e', 'a', 'd']],
      [['params.opt'], ['e', 'a', 'b', 'd', 'c', 'h', 'j']],
      [['params.opt DESC'], ['b', 'e', 'a', 'd', 'c', 'h', 'j']],
      [['attributes.end_time'], ['j', 'a', 'b', 'h', 'e', 'd', 'c']],
      [['attributes.end_time DESC'], ['e', 'h', 'b', 'a', 'j', 'd', 'c']],
      [['attributes.run_name DESC'], ['j', 'h', 'e', 'd', 'c', 'b', 'a']],
      [['attributes.start_time ASC'], ['a', 'j', 'b', 'c', 'h', 'd', 'e']],
      [
        ['params.opt', 'metrics.acc DESC'],
        ['e', 'a', 'b', 'c', 'h', 'd', 'j'],
      ],
      [
        ['params.opt DESC', 'metrics.loss'],
        ['b', 'e', 'a', 'j', 'h', 'c', 'd'],
      ],
      [
        ['metrics.acc', 'metrics.acc DESC'],
        ['h', 'b', 'c', 'a', 'e', 'd', 'j'],
      ],
    ])('%j', async (orderBy, expected) => {
      expect(await search('', orderBy)).toEqual(expected);
    });

    it('orders a filtered set', async () => {
      expect(await search('metrics.acc > 0.8', ['metrics.loss DESC'])).toEqual(['c', 'b', 'e', 'a']);
    });
  });

  describe('pagination', () => {
    const orders = [
      [],
      ['metrics.m'],
      ['metrics.m DESC'],
      ['params.p'],
      ['params.p DESC'],
      ['tags.t DESC', 'metrics.m'],
      ['attributes.end_time'],
      ['attributes.end_time DESC'],
      ['attributes.start_time ASC'],
      ['attributes.run_name DESC'],
      ['params.p', 'metrics.m DESC', 'attributes.end_time'],
    ];

    it.each(orders)('matches the reference order on the generated experiment: %j', async (...orderBy) => {
      const clauses = parseOrderBy(orderBy);
      const get = (r: FixtureRun, c: (typeof clauses)[number]) => {
        if (c.entity === 'metric') return r.metrics?.[c.key];
        if (c.entity === 'param') return r.params?.[c.key];
        if (c.entity === 'tag') return r.tags?.[c.key];
        return { end_time: r.end, start_time: r.start, run_name: r.name }[c.key as 'end_time'];
      };
      const expected = referenceOrder(
        GENERATED,
        clauses.map((c) => ({ get: (r: FixtureRun) => get(r, c), asc: c.ascending })),
      );
      expect(await search('', orderBy, { experimentIds: [3] })).toEqual(expected);
      for (const size of [1, 3, 7]) {
        expect(await walk('', orderBy, { experimentIds: [3] }, size)).toEqual(expected);
      }
    });

    it.each([
      [[]],
      [['metrics.loss ASC']],
      [['metrics.loss DESC']],
      [['metrics.acc DESC']],
      [['params.lr']],
      [['params.opt DESC', 'metrics.acc']],
      [['attributes.end_time']],
      [['tags.team']],
      [['attributes.run_name']],
    ])('walks every page of the hand fixture in one-page order: %j', async (orderBy) => {
      const over = { experimentIds: [0, 1, 3], lifecycle: 'all' as const };
      const all = await search('', orderBy, over);
      expect(all).toHaveLength(9 + GENERATED.length);
      expect(await walk('', orderBy, over, 3)).toEqual(all);
      const filtered = await search('metrics.acc > 0 AND params.lr IS NOT NULL', orderBy, over);
      expect(await walk('metrics.acc > 0 AND params.lr IS NOT NULL', orderBy, over, 3)).toEqual(filtered);
    });

    it('gives no token when the last page is exactly full', async () => {
      const page = await searchRunIds(db, options('', [], { maxResults: 7 }));
      expect(page.runIds).toHaveLength(7);
      expect(page.nextPageToken).toBeUndefined();
      const first = await searchRunIds(db, options('', [], { maxResults: 6 }));
      expect(first.nextPageToken).toEqual(expect.stringMatching(/^[A-Za-z0-9_-]+$/));
    });

    it('rejects a malformed token', async () => {
      for (const token of [
        'not a token!',
        'abc',
        Buffer.from('{"v":1}').toString('base64url'),
        Buffer.from('[1]').toString('base64url'),
      ]) {
        const err = await rejection(searchRunIds(db, options('', [], { pageToken: token })));
        expect(err.code).toBe('invalid_argument');
        expect(err.details).toEqual({ field: 'page_token' });
        expect(err.message).toMatch(/^Invalid page token/);
      }
    });

    it('rejects a token from another search', async () => {
      const { nextPageToken } = await searchRunIds(db, options('', ['metrics.acc'], { maxResults: 2 }));
      expect(nextPageToken).toBeDefined();
      for (const over of [
        { filter: parseFilter('metrics.acc > 0') },
        { orderBy: parseOrderBy(['metrics.acc DESC']) },
        { experimentIds: [0, 1] },
        { lifecycle: 'all' as const },
        { projectId: 'other' },
      ]) {
        const err = await rejection(
          searchRunIds(db, {
            ...options('', ['metrics.acc'], { maxResults: 2, pageToken: nextPageToken }),
            ...over,
          }),
        );
        expect(err.details).toEqual({ field: 'page_token' });
        expect(err.message).toMatch(/different search/);
      }
      // The page size may change between pages.
      const next = await searchRunIds(
        db,
        options('', ['metrics.acc'], { maxResults: 4, pageToken: nextPageToken }),
      );
      expect(next.runIds.map((id) => NAME_BY_ID.get(id))).toEqual(['c', 'a', 'e', 'd']);
    });

    it('rejects a page size out of range', async () => {
      for (const maxResults of [0, -1, 1.5, 50_001]) {
        const err = await rejection(searchRunIds(db, options('', [], { maxResults })));
        expect(err.details).toEqual({ field: 'max_results' });
      }
    });
  });
});
