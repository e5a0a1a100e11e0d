import { type SearchField, syntaxError } from './syntax-error.js';

/**
 * Double-quoted text is either an identifier (`metrics."val loss"`) or a string value (`= "x"`), as in
 * MLflow; the parser decides from where it stands, so the lexer keeps the quote kind.
 */
export type TokenKind =
  | 'word'
  | 'backtick'
  | 'dquote'
  | 'squote'
  | 'number'
  | 'op'
  | '('
  | ')'
  | ','
  | '.'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text, quotes included: what messages quote back. */
  text: string;
  /** Quoted tokens: the content with doubled quotes collapsed. Others: same as `text`. */
  value: string;
  /** 0-based offsets into the source. */
  start: number;
  end: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
// After a dot a key part may start with a digit (`metrics.1st`): it is never a number there.
const KEY_PART = /[A-Za-z0-9_]+/y;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const OPERATOR = /!=|<>|<=|>=|==|[<>=]/y;
const QUOTES: Record<string, TokenKind> = { '`': 'backtick', '"': 'dquote', "'": 'squote' };

/**
 * Tokens on demand, so that errors come in source order: in `a = 'x' OR b = 'y-'` the parser reports
 * the OR before the lexer would stumble on anything after it.
 */
export function* lex(source: string, field: SearchField): Generator<Token, void, undefined> {
  let i = 0;
  let prev: Token | undefined;
  const make = (kind: TokenKind, end: number, value = source.slice(i, end)): Token => {
    prev = { kind, text: source.slice(i, end), value, start: i, end };
    i = end;
    return prev;
  };
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const afterDot = prev?.kind === '.' && prev.end === i;
    const afterIdentifierPart = prev !== undefined && prev.end === i && isIdentifierPart(prev.kind);
    const quoteKind = QUOTES[ch];
    if (quoteKind) {
      const { value, end } = readQuoted(source, i, field);
      yield make(quoteKind, end, value);
    } else if (afterDot && matchAt(KEY_PART, source, i)) {
      yield make('word', i + matchAt(KEY_PART, source, i)!.length);
    } else if (startsNumber(source, i) && !(ch === '.' && afterIdentifierPart)) {
      const text = matchAt(NUMBER, source, i)!;
      const next = source[i + text.length];
      if (next !== undefined && /[A-Za-z0-9_.]/.test(next)) {
        const bad = /[^\s=!<>(),'"`]*/y;
        const whole = matchAt(bad, source, i) ?? text;
        throw syntaxError(field, `Invalid number '${whole}' at position ${i + 1}`, i + 1);
      }
      yield make('number', i + text.length);
    } else if (matchAt(WORD, source, i)) {
      yield make('word', i + matchAt(WORD, source, i)!.length);
    } else if (matchAt(OPERATOR, source, i)) {
      yield make('op', i + matchAt(OPERATOR, source, i)!.length);
    } else if (ch === '(' || ch === ')' || ch === ',' || ch === '.') {
      yield make(ch, i + 1);
    } else {
      throw syntaxError(
        field,
        `Unexpected character '${ch}' at position ${i + 1}` +
          (ch === '-' || ch === '/' || ch === ':'
            ? ': quote keys containing it with backticks (`my-key`)'
            : ''),
        i + 1,
      );
    }
  }
  yield { kind: 'eof', text: '', value: '', start: source.length, end: source.length };
}

export function isIdentifierPart(kind: TokenKind): boolean {
  return kind === 'word' || kind === 'backtick' || kind === 'dquote';
}

function matchAt(re: RegExp, source: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(source)?.[0];
}

function startsNumber(source: string, i: number): boolean {
  const ch = source[i]!;
  const next = source[i + 1] ?? '';
  if (/\d/.test(ch)) return true;
  if (ch === '.') return /\d/.test(next);
  return ch === '-' && (/\d/.test(next) || (next === '.' && /\d/.test(source[i + 2] ?? '')));
}

/** SQL-style quoting: the quote character doubled stands for itself; backslashes are literal. */
function readQuoted(source: string, start: number, field: SearchField): { value: string; end: number } {
  const quote = source[start]!;
  let value = '';
  let i = start + 1;
  for (;;) {
    const close = source.indexOf(quote, i);
    if (close < 0) {
      const what = quote === '`' ? 'quoted identifier' : 'string';
      throw syntaxError(
        field,
        `Unterminated ${what} ${source.slice(start, start + 20)}${source.length - start > 20 ? '...' : ''} starting at position ${start + 1}: missing closing ${quote}`,
        start + 1,
      );
    }
    value += source.slice(i, close);
    if (source[close + 1] === quote) {
      value += quote;
      i = close + 2;
      continue;
    }
    return { value, end: close + 1 };
  }
}
