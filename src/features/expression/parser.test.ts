import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.js';
import { MAX_DEPTH, parseExpression } from './parser.js';

/** The tree as compact text: every operation parenthesized, so precedence shows. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'string':
      return JSON.stringify(e.value);
    case 'boolean':
      return String(e.value);
    case 'column':
      return `[${e.name}]`;
    case 'unary':
      return `(${e.op} ${show(e.arg)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')})`;
  }
}

const parsed = (text: string) => show(parseExpression(text));

describe('parseExpression', () => {
  it('follows precedence and associativity', () => {
    expect(parsed('a + b * c - d / e % f')).toBe('(([a] + ([b] * [c])) - (([d] / [e]) % [f]))');
    expect(parsed('-a * -b')).toBe('((- [a]) * (- [b]))');
    expect(parsed('a - b - c')).toBe('(([a] - [b]) - [c])');
    expect(parsed('(a - b) * c')).toBe('(([a] - [b]) * [c])');
    expect(parsed('a + 1 > b * 2 and not c or d = e')).toBe(
      '(((([a] + 1) > ([b] * 2)) and (not [c])) or ([d] = [e]))',
    );
    expect(parsed('not not a')).toBe('(not (not [a]))');
  });

  it('reads names, keywords, literals and calls', () => {
    expect(parsed('`Beak Length (mm)` + `it``s`')).toBe('([Beak Length (mm)] + [it`s])');
    expect(parsed('\'it\'\'s\' = "say ""hi"""')).toBe('("it\'s" = "say \\"hi\\"")');
    expect(parsed('TRUE AND False Or x')).toBe('((true and false) or [x])');
    expect(parsed('`and` and `true`')).toBe('([and] and [true])');
    expect(parsed('1.5e3 + .25 + 2. + 7E-1')).toBe('(((1500 + 0.25) + 2) + 0.7)');
    expect(parsed('IF(x <> 1, MAX(a, b, c), coalesce())')).toBe(
      'if(([x] != 1), max([a], [b], [c]), coalesce())',
    );
    expect(parsed('a == b')).toBe('([a] = [b])');
    expect(parsed('  x\t\n')).toBe('[x]');
  });

  it('gives the offset of what it cannot read', () => {
    const error = (text: string) => {
      try {
        parseExpression(text);
      } catch (err) {
        return `${(err as Error).message} at ${(err as { position: number }).position}`;
      }
      return 'parsed';
    };
    expect(error('(a + b))')).toBe("unexpected ')' at 7");
    expect(error('(a + b')).toBe("unexpected end of expression, expected ')' at 6");
    expect(error('a b')).toBe("unexpected 'b' at 2");
    expect(error('')).toBe('unexpected end of expression at 0');
    expect(error('f(a,)')).toBe("unexpected ')' at 4");
    expect(error('a and')).toBe('unexpected end of expression at 5');
    expect(error('`open')).toBe('unterminated quoted name at 0');
    expect(error('1.2.3')).toBe('unexpected number .3 at 3');
    expect(error('a = b = c')).toBe("comparisons do not chain: use 'and' at 6");
    expect(error('x ! y')).toBe("unexpected character '!' at 2");
  });

  it('refuses trees deeper than the limit, however they nest', () => {
    const deep = MAX_DEPTH + 5;
    expect(() => parseExpression(`${'('.repeat(deep)}1${')'.repeat(deep)}`)).toThrow(/nested more than/);
    expect(() => parseExpression(Array.from({ length: deep }, () => 'x').join(' + '))).toThrow(
      /nested more than/,
    );
    expect(() => parseExpression(`${'-'.repeat(deep)}1`)).toThrow(/nested more than/);
    expect(parsed(Array.from({ length: 50 }, () => 'x').join(' + '))).toMatch(/^\(+\[x\]/);
  });
});
