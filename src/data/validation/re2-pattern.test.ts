import { describe, expect, it } from 'vitest';
import { inferSchema, withSession } from '../../columnar/index.js';
import { CyclopsError } from '../../core/index.js';
import { re2SyntaxError, validateTable } from './index.js';

// Patterns RE2 accepts that JavaScript's RegExp refuses or reads differently, and the reverse.
const VALID = [
  '[A-Z][a-z]+',
  '(?i)abc',
  '(?i:a)b',
  '(?-i)a',
  '(?)',
  '(?sm)^a.$',
  '(?P<year>\\d{4})-(?P<month>\\d{2})',
  '\\pL+',
  '\\p{Greek}',
  '\\PN',
  '[\\p{Lu}\\d_]',
  '\\x{41}\\x42',
  '\\Qa.b*\\E+',
  '\\Q',
  '[[:alpha:]][[:^digit:]]',
  '[]a]',
  '[^]a]',
  '[a-]',
  '[-a]',
  '[\\]]',
  '[a\\-z]',
  '[\\x41-\\x5a]',
  '\\012\\0',
  '\\777',
  '\\C\\b\\B\\A\\z',
  'a{,3}',
  'a{}',
  'a{x}',
  'a{1000}',
  'a{2,}?',
  'a??',
  '^*$+',
  'a|',
  '()',
  '\\/\\-\\ \\_\\%',
  'é+',
];

const INVALID = [
  '(?=a)b',
  '(?!a)b',
  '(?<=a)b',
  '(?<!a)b',
  '(?<name>a)',
  '(a)\\1',
  '\\8',
  '\\k<name>',
  '(?P=name)',
  '(?>a)',
  '(?#comment)a',
  '(?x)a',
  '(?-)a',
  '(?P<>a)',
  'a++',
  'a*+',
  'a**',
  'a?*',
  'a{2}{3}',
  '*a',
  'a|*b',
  '(*a)',
  '(?i)*',
  '{2}',
  'a{3,2}',
  'a{1001}',
  'a{2,1001}',
  '\\u0041',
  '\\cA',
  '\\e',
  '\\Z',
  '\\G',
  '\\E',
  '\\é',
  '\\x4',
  '\\x{}',
  '\\p',
  '[\\b]',
  '[\\A]',
  '[\\Q]',
  '[a-\\d]',
  '[z-a]',
  '[[:foo:]]',
  '[abc',
  '[^]',
  '(a',
  'a)',
  'a\\',
];

async function duckdbCompiles(patterns: string[]): Promise<boolean[]> {
  return withSession(async (s) => {
    const out: boolean[] = [];
    for (const p of patterns) {
      out.push(
        await s.rows(`SELECT regexp_full_match('', '${p.replaceAll("'", "''")}')`).then(
          () => true,
          () => false,
        ),
      );
    }
    return out;
  });
}

describe('re2SyntaxError agrees with DuckDB', () => {
  it('accepts what RE2 compiles', async () => {
    expect(await duckdbCompiles(VALID)).toEqual(VALID.map(() => true));
    expect(VALID.filter((p) => re2SyntaxError(p) !== null)).toEqual([]);
  });

  it('refuses what RE2 refuses, with a reason', async () => {
    expect(await duckdbCompiles(INVALID)).toEqual(INVALID.map(() => false));
    expect(INVALID.filter((p) => re2SyntaxError(p) === null)).toEqual([]);
    expect(re2SyntaxError('(?=a)')).toMatch(/lookahead/);
    expect(re2SyntaxError('(?<n>a)')).toMatch(/\(\?P<name>/);
    expect(re2SyntaxError('(a)\\1')).toMatch(/backreference/);
    expect(re2SyntaxError('a++')).toMatch(/possessive/);
    expect(re2SyntaxError('\\u0041')).toMatch(/\\x\{0041\}/);
  });

  it('leaves Unicode class names to DuckDB, which names the rule', async () => {
    expect(re2SyntaxError('\\p{NoSuchScript}')).toBeNull();
    const err = await withSession(async (s) => {
      await s.run("CREATE TABLE t AS SELECT 'a' AS s");
      const { columns } = await inferSchema(s, 't');
      return validateTable(
        s,
        't',
        [
          { type: 'not_null', column: 's' },
          { type: 'regex', column: 's', pattern: '\\p{NoSuchScript}' },
        ],
        { schema: columns },
      ).catch((e: unknown) => e);
    });
    expect(err).toBeInstanceOf(CyclopsError);
    expect((err as CyclopsError).details.field).toBe('rules[1].pattern');
    expect((err as CyclopsError).message).toMatch(/^rules\[1\]\.pattern: not a valid RE2 pattern: /);
  });
});
