import { type BinaryOp, type Expr, ExpressionError } from './ast.js';
import { type Token, tokenize } from './tokenizer.js';

/**
 * Recursive descent over this grammar (lowest precedence first; keywords are case-insensitive):
 *
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | compare
 *   compare := sum (('<' | '<=' | '>' | '>=' | '=' | '==' | '!=' | '<>') sum)?
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/' | '%') unary)*
 *   unary   := '-' unary | primary
 *   primary := number | string | 'true' | 'false' | name | name '(' [or (',' or)*] ')' | '(' or ')'
 *
 * A name is bare (`temp_max`) or backquoted (`Beak Length (mm)`, a backquote doubled inside).
 */
export const MAX_DEPTH = 100;

const COMPARE: Record<string, BinaryOp> = {
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  '=': '=',
  '==': '=',
  '!=': '!=',
  '<>': '!=',
};
const KEYWORDS = new Set(['and', 'or', 'not', 'true', 'false']);

export function parseExpression(text: string): Expr {
  const parser = new Parser(tokenize(text));
  const expr = parser.or();
  parser.expectEnd();
  // Loops build left-deep trees that the recursion limit above does not see (a + b + c + ...).
  if (depthOf(expr) > MAX_DEPTH) throw new ExpressionError(`nested more than ${MAX_DEPTH} deep`, expr.pos);
  return expr;
}

function depthOf(e: Expr): number {
  switch (e.kind) {
    case 'unary':
      return 1 + depthOf(e.arg);
    case 'binary':
      return 1 + Math.max(depthOf(e.left), depthOf(e.right));
    case 'call':
      return 1 + Math.max(0, ...e.args.map(depthOf));
    default:
      return 1;
  }
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  or(): Expr {
    return this.nested(() => {
      let left = this.and();
      for (let t = this.peek(); this.isKeyword(t, 'or'); t = this.peek()) {
        this.i++;
        left = { kind: 'binary', op: 'or', left, right: this.and(), pos: t.pos };
      }
      return left;
    });
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'end') throw unexpected(t);
  }

  private and(): Expr {
    let left = this.not();
    for (let t = this.peek(); this.isKeyword(t, 'and'); t = this.peek()) {
      this.i++;
      left = { kind: 'binary', op: 'and', left, right: this.not(), pos: t.pos };
    }
    return left;
  }

  private not(): Expr {
    const t = this.peek();
    if (!this.isKeyword(t, 'not')) return this.compare();
    this.i++;
    return this.nested(() => ({ kind: 'unary', op: 'not', arg: this.not(), pos: t.pos }));
  }

  private compare(): Expr {
    const left = this.sum();
    const t = this.peek();
    const op = t.kind === 'symbol' && Object.hasOwn(COMPARE, t.symbol) ? COMPARE[t.symbol] : undefined;
    if (!op) return left;
    this.i++;
    const expr: Expr = { kind: 'binary', op, left, right: this.sum(), pos: t.pos };
    const after = this.peek();
    if (after.kind === 'symbol' && Object.hasOwn(COMPARE, after.symbol)) {
      throw new ExpressionError(`comparisons do not chain: use 'and'`, after.pos);
    }
    return expr;
  }

  private sum(): Expr {
    let left = this.product();
    for (
      let t = this.peek();
      t.kind === 'symbol' && (t.symbol === '+' || t.symbol === '-');
      t = this.peek()
    ) {
      this.i++;
      left = { kind: 'binary', op: t.symbol as BinaryOp, left, right: this.product(), pos: t.pos };
    }
    return left;
  }

  private product(): Expr {
    let left = this.unary();
    for (
      let t = this.peek();
      t.kind === 'symbol' && (t.symbol === '*' || t.symbol === '/' || t.symbol === '%');
      t = this.peek()
    ) {
      this.i++;
      left = { kind: 'binary', op: t.symbol as BinaryOp, left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'symbol' && t.symbol === '-') {
      this.i++;
      return this.nested(() => ({ kind: 'unary', op: '-', arg: this.unary(), pos: t.pos }));
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'number', value: t.value, pos: t.pos };
      case 'string':
        return { kind: 'string', value: t.value, pos: t.pos };
      case 'name': {
        const lower = t.name.toLowerCase();
        if (!t.quoted && (lower === 'true' || lower === 'false')) {
          return { kind: 'boolean', value: lower === 'true', pos: t.pos };
        }
        if (!t.quoted && KEYWORDS.has(lower)) throw unexpected(t);
        const open = this.peek();
        if (t.quoted || open.kind !== 'symbol' || open.symbol !== '(') {
          return { kind: 'column', name: t.name, pos: t.pos };
        }
        this.i++;
        return { kind: 'call', name: lower, args: this.args(), pos: t.pos };
      }
      case 'symbol':
        if (t.symbol === '(') {
          const inner = this.or();
          this.expect(')');
          return inner;
        }
        throw unexpected(t);
      case 'end':
        throw unexpected(t);
    }
  }

  private args(): Expr[] {
    const args: Expr[] = [];
    const close = this.peek();
    if (close.kind === 'symbol' && close.symbol === ')') {
      this.i++;
      return args;
    }
    for (;;) {
      args.push(this.or());
      const t = this.next();
      if (t.kind === 'symbol' && t.symbol === ')') return args;
      if (t.kind !== 'symbol' || t.symbol !== ',') throw unexpected(t, "',' or ')'");
    }
  }

  private nested(parse: () => Expr): Expr {
    if (++this.depth > MAX_DEPTH) {
      throw new ExpressionError(`nested more than ${MAX_DEPTH} deep`, this.peek().pos);
    }
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private expect(symbol: string): void {
    const t = this.next();
    if (t.kind !== 'symbol' || t.symbol !== symbol) throw unexpected(t, `'${symbol}'`);
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.kind === 'name' && !t.quoted && t.name.toLowerCase() === word;
  }

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }
}

function unexpected(t: Token, expected?: string): ExpressionError {
  const what =
    t.kind === 'end'
      ? 'end of expression'
      : t.kind === 'number'
        ? `number ${t.text}`
        : t.kind === 'string'
          ? 'string'
          : t.kind === 'name'
            ? `'${t.name}'`
            : `'${t.symbol}'`;
  return new ExpressionError(`unexpected ${what}${expected ? `, expected ${expected}` : ''}`, t.pos);
}
