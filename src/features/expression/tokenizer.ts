import { ExpressionError } from './ast.js';

export type Token =
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  /** A bare name (possibly a keyword) or a `backquoted` one (never a keyword). */
  | { kind: 'name'; name: string; quoted: boolean; pos: number }
  | { kind: 'symbol'; symbol: string; pos: number }
  | { kind: 'end'; pos: number };

// Longest first, so '<=' is not read as '<' then '='.
const SYMBOLS = ['<=', '>=', '==', '!=', '<>', '+', '-', '*', '/', '%', '(', ')', ',', '<', '>', '='];
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = /\s/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const number = NUMBER.exec(text);
    if (number) {
      const raw = number[0];
      if (NAME.test(text.charAt(i + raw.length))) {
        throw new ExpressionError(`malformed number '${raw}${text.charAt(i + raw.length)}'`, i);
      }
      tokens.push({ kind: 'number', value: Number(raw), text: raw, pos: i });
      i += raw.length;
      continue;
    }
    NAME.lastIndex = i;
    const name = NAME.exec(text);
    if (name) {
      tokens.push({ kind: 'name', name: name[0], quoted: false, pos: i });
      i += name[0].length;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const { value, end } = quoted(text, i);
      tokens.push(
        c === '`' ? { kind: 'name', name: value, quoted: true, pos: i } : { kind: 'string', value, pos: i },
      );
      i = end;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (!symbol) throw new ExpressionError(`unexpected character '${c}'`, i);
    tokens.push({ kind: 'symbol', symbol, pos: i });
    i += symbol.length;
  }
  tokens.push({ kind: 'end', pos: text.length });
  return tokens;
}

/** A quoted string or name starting at `start`; the quote character is escaped by doubling it. */
function quoted(text: string, start: number): { value: string; end: number } {
  const q = text.charAt(start);
  let value = '';
  let i = start + 1;
  for (;;) {
    const next = text.indexOf(q, i);
    if (next < 0) {
      throw new ExpressionError(`unterminated ${q === '`' ? 'quoted name' : 'string'}`, start);
    }
    value += text.slice(i, next);
    if (text.charAt(next + 1) !== q) return { value, end: next + 1 };
    value += q;
    i = next + 2;
  }
}
