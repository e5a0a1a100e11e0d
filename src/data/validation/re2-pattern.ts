/**
 * Regex rules run in DuckDB, whose engine is RE2, not JavaScript's. `new RegExp()` is the wrong judge:
 * it accepts what RE2 refuses (lookaround, backreferences, `(?<name>`, `\u0041`, possessive `a++`)
 * and refuses what RE2 accepts (`(?i)`, `\Q...\E`, `\pL`). This scanner follows RE2's grammar, so a bad
 * pattern is named before anything runs; DuckDB still compiles each pattern before the scan, which
 * catches what a scanner cannot know (unknown Unicode groups such as `\p{Foo}`).
 */
export function re2SyntaxError(pattern: string): string | null {
  try {
    scan(pattern);
    return null;
  } catch (err) {
    if (err instanceof Re2Error) return err.message;
    throw err;
  }
}

class Re2Error extends Error {}
const fail = (message: string): never => {
  throw new Re2Error(message);
};

/** What the previous token was: a quantifier may follow only an atom. */
type Last = 'none' | 'atom' | 'quantifier' | 'lazy';

const SINGLE_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
const CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W', 'p', 'P']);
const ASSERTIONS = new Set(['b', 'B', 'A', 'z', 'C']);
const POSIX = new Set(
  'alnum alpha ascii blank cntrl digit graph lower print punct space upper word xdigit'.split(' '),
);
const FLAGS = /^\(\?(?:[imsU]*(?:-[imsU]+)?)([:)])/;
const REPEAT = /^\{(\d+)(,(\d*))?\}/;

function scan(p: string): void {
  let depth = 0;
  let last: Last = 'none';
  let i = 0;
  while (i < p.length) {
    const c = p[i] as string;
    if (c === '\\' && p[i + 1] === 'Q') {
      const end = p.indexOf('\\E', i + 2);
      i = end < 0 ? p.length : end + 2;
      last = 'atom';
    } else if (c === '\\') {
      i = escapeAt(p, i, false).end;
      last = 'atom';
    } else if (c === '[') {
      i = charClass(p, i);
      last = 'atom';
    } else if (c === '(') {
      const flags = FLAGS.exec(p.slice(i));
      if (p[i + 1] === '?' && flags) {
        i += flags[0].length;
        if (flags[1] === ':') depth++;
        last = 'none';
        continue;
      }
      if (p[i + 1] === '?') i = groupHead(p, i);
      else i++;
      depth++;
      last = 'none';
    } else if (c === ')') {
      if (depth === 0) fail(`unexpected ) at position ${i}`);
      depth--;
      i++;
      last = 'atom';
    } else if (c === '|') {
      i++;
      last = 'none';
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && REPEAT.test(p.slice(i)))) {
      const token = c === '{' ? (REPEAT.exec(p.slice(i)) as RegExpExecArray) : null;
      if (last === 'none') fail(`nothing to repeat before '${token ? token[0] : c}' at position ${i}`);
      if (last === 'quantifier' && c === '?') last = 'lazy';
      else if (last !== 'atom') {
        const hint = c === '+' ? ' (possessive quantifiers are not supported by RE2)' : '';
        fail(`a quantifier cannot follow a quantifier at position ${i}${hint}`);
      } else last = 'quantifier';
      if (token) checkRepeat(token);
      i += token ? token[0].length : 1;
    } else {
      i++;
      last = 'atom';
    }
  }
  if (depth > 0) fail('missing ): a group is not closed');
}

function checkRepeat(token: RegExpExecArray): void {
  const min = Number(token[1]);
  const max = token[2] === undefined ? min : token[3] === '' ? min : Number(token[3]);
  if (min > 1000 || max > 1000) fail(`repetition ${token[0]}: RE2 allows at most 1000`);
  if (max < min) fail(`repetition ${token[0]}: the maximum is below the minimum`);
}

/** `(?` not followed by flags: RE2 knows only named groups written `(?P<name>`. */
function groupHead(p: string, i: number): number {
  const rest = p.slice(i + 2);
  const named = /^P<([A-Za-z0-9_]+)>/.exec(rest);
  if (named) return i + 2 + named[0].length;
  if (rest.startsWith('=') || rest.startsWith('!')) fail('lookahead (?= and (?! is not supported by RE2');
  if (rest.startsWith('<=') || rest.startsWith('<!'))
    fail('lookbehind (?<= and (?<! is not supported by RE2');
  if (rest.startsWith('<')) fail('named groups are written (?P<name>...) in RE2, not (?<name>...)');
  if (rest.startsWith('P=') || rest.startsWith('P>')) fail('backreferences are not supported by RE2');
  if (rest.startsWith('>')) fail('atomic groups (?> are not supported by RE2');
  if (rest.startsWith('#')) fail('comments (?# are not supported by RE2');
  return fail(`unsupported group syntax (?${rest.slice(0, 2)}`);
}

/** One escape at p[i] (a backslash); `single` is its code point when it stands for one character. */
function escapeAt(p: string, i: number, inClass: boolean): { end: number; single?: number } {
  const c = p[i + 1];
  if (c === undefined) return fail('trailing \\ at the end of the pattern');
  const code = c.codePointAt(0) as number;
  if (c >= '0' && c <= '9') {
    const octal = /^[0-7]{1,3}/.exec(p.slice(i + 1))?.[0] ?? '';
    if (c === '0' || octal.length >= 2)
      return { end: i + 1 + octal.length, single: Number.parseInt(octal, 8) };
    return fail(`backreference \\${c} is not supported by RE2`);
  }
  if (c === 'x') return hexEscape(p, i);
  if (c === 'p' || c === 'P') {
    if (p[i + 2] === '{') {
      const end = p.indexOf('}', i + 3);
      if (end < 0) fail(`unterminated \\${c}{ at position ${i}`);
      return { end: end + 1 };
    }
    if (!/[A-Za-z]/.test(p[i + 2] ?? '')) fail(`\\${c} needs a Unicode class name at position ${i}`);
    return { end: i + 3 };
  }
  if (c in SINGLE_ESCAPES) return { end: i + 2, single: SINGLE_ESCAPES[c] as number };
  if (CLASS_ESCAPES.has(c) || (!inClass && ASSERTIONS.has(c))) return { end: i + 2 };
  if (c === 'u') return fail('\\u escapes are not supported by RE2: write \\x{0041}');
  if (c === 'k') return fail('backreferences \\k<name> are not supported by RE2');
  if (/[A-Za-z]/.test(c) || code >= 0x80) return fail(`invalid escape \\${c} at position ${i}`);
  return { end: i + 2, single: code };
}

function hexEscape(p: string, i: number): { end: number; single: number } {
  const braced = /^\{([0-9A-Fa-f]{1,8})\}/.exec(p.slice(i + 2));
  if (braced) return { end: i + 2 + braced[0].length, single: Number.parseInt(braced[1] as string, 16) };
  const two = /^[0-9A-Fa-f]{2}/.exec(p.slice(i + 2));
  if (two) return { end: i + 4, single: Number.parseInt(two[0], 16) };
  return fail(`invalid escape \\x at position ${i}: write \\x41 or \\x{41}`);
}

/** A bracket expression from p[i] (`[`) to just past its `]`. */
function charClass(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '^') i++;
  let first = true;
  while (i < p.length) {
    const c = p[i] as string;
    if (c === ']' && !first) return i + 1;
    first = false;
    if (c === '[' && p[i + 1] === ':') {
      const posix = /^\[:\^?([a-z]*):\]/.exec(p.slice(i));
      if (posix) {
        if (!POSIX.has(posix[1] as string)) fail(`unknown character class ${posix[0]}`);
        i += posix[0].length;
        continue;
      }
    }
    const lo = classChar(p, i);
    i = lo.end;
    if (lo.single !== undefined && p[i] === '-' && p[i + 1] !== ']' && i + 1 < p.length) {
      const hi = classChar(p, i + 1);
      if (hi.single === undefined) fail(`invalid range end in character class at position ${i + 1}`);
      if ((hi.single as number) < lo.single) fail(`invalid character class range at position ${i - 1}`);
      i = hi.end;
    }
  }
  return fail('missing ]: a character class is not closed');
}

function classChar(p: string, i: number): { end: number; single?: number } {
  if (p[i] === '\\') return escapeAt(p, i, true);
  const code = p.codePointAt(i) as number;
  return { end: i + (code > 0xffff ? 2 : 1), single: code };
}
