import type { FilterComparison, FilterExpr, FilterOp } from './filter-ast.js';
import type { Token } from './filter-lexer.js';
import { ATTRIBUTES, type ParsedIdentifier, parseIdentifier, TokenCursor } from './identifiers.js';

const NUMERIC_OPS: readonly FilterOp[] = ['=', '!=', '<', '<=', '>', '>='];
const STRING_ATTRIBUTE_OPS: readonly FilterOp[] = ['=', '!=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];
// Params and tags may be absent from a run, so they also answer "is it set at all".
const KEY_VALUE_OPS: readonly FilterOp[] = [...STRING_ATTRIBUTE_OPS, 'IS NULL', 'IS NOT NULL'];
const SYMBOL_OPS: ReadonlySet<string> = new Set(NUMERIC_OPS);

/**
 * Parses MLflow's run-search filter: comparisons joined by AND, e.g.
 * `metrics.acc > 0.9 AND params.lr = '0.01' AND tags."my tag" LIKE 'x%'`. Blank text filters nothing.
 * Every error is invalid_argument with details { field: 'filter', position } (1-based).
 */
export function parseFilter(text: string): FilterExpr {
  const cursor = new TokenCursor(text, 'filter');
  const and: FilterComparison[] = [];
  if (cursor.peek().kind === 'eof') return { and };
  for (;;) {
    and.push(parseComparison(cursor));
    const next = cursor.peek();
    if (next.kind === 'eof') return { and };
    if (cursor.isKeyword(next, 'AND')) {
      cursor.next();
      continue;
    }
    if (cursor.isKeyword(next, 'OR')) {
      throw cursor.error(
        `'${next.text}' is not supported`,
        next,
        'filters combine comparisons with AND only (use IN (...) for alternative values of one key)',
      );
    }
    throw cursor.error(`Unexpected ${cursor.quote(next)}`, next, 'expected AND or the end of the filter');
  }
}

function parseComparison(cursor: TokenCursor): FilterComparison {
  const id = parseIdentifier(cursor);
  const opToken = cursor.peek();
  const op = readOperator(cursor, id);
  const allowed = allowedOps(id);
  if (!allowed.includes(op)) {
    const typed = opToken.kind === 'op' ? opToken.text : op;
    throw cursor.error(
      `Invalid comparator '${typed}' for ${describe(id)}`,
      opToken,
      `expected one of ${allowed.join(', ')}`,
    );
  }
  return {
    entity: id.entity,
    key: id.key,
    op,
    value: readValue(cursor, id, op),
    position: id.first.start + 1,
  };
}

function readOperator(cursor: TokenCursor, id: ParsedIdentifier): FilterOp {
  const token = cursor.next();
  if (token.kind === 'op') {
    if (SYMBOL_OPS.has(token.text)) return token.text as FilterOp;
    const instead = token.text === '<>' ? '!=' : '=';
    throw cursor.error(`Invalid comparator '${token.text}'`, token, `use '${instead}'`);
  }
  for (const word of ['LIKE', 'ILIKE', 'IN'] as const) {
    if (cursor.isKeyword(token, word)) return word;
  }
  if (cursor.isKeyword(token, 'NOT')) {
    const next = cursor.next();
    if (cursor.isKeyword(next, 'IN')) return 'NOT IN';
    throw cursor.error(`Expected IN after '${token.text}' but found ${cursor.describe(next)}`, next);
  }
  if (cursor.isKeyword(token, 'IS')) {
    const negated = cursor.isKeyword(cursor.peek(), 'NOT');
    if (negated) cursor.next();
    const next = cursor.next();
    if (cursor.isKeyword(next, 'NULL')) return negated ? 'IS NOT NULL' : 'IS NULL';
    throw cursor.error(`Expected NULL after '${token.text}' but found ${cursor.describe(next)}`, next);
  }
  throw cursor.error(
    `Expected a comparison operator after '${id.text}' but found ${cursor.describe(token)}`,
    token,
    token.kind === 'word' || token.kind === 'number'
      ? 'quote keys that contain spaces with backticks, as in metrics.`my key`'
      : undefined,
  );
}

function isNumeric(id: ParsedIdentifier): boolean {
  return id.entity === 'metric' || (id.entity === 'attribute' && ATTRIBUTES.get(id.key)?.type === 'number');
}

function allowedOps(id: ParsedIdentifier): readonly FilterOp[] {
  if (isNumeric(id)) return NUMERIC_OPS;
  return id.entity === 'attribute' ? STRING_ATTRIBUTE_OPS : KEY_VALUE_OPS;
}

function describe(id: ParsedIdentifier): string {
  return `${id.entity} '${id.key}'`;
}

function readValue(cursor: TokenCursor, id: ParsedIdentifier, op: FilterOp): FilterComparison['value'] {
  if (op === 'IS NULL' || op === 'IS NOT NULL') return null;
  if (op === 'IN' || op === 'NOT IN') return readList(cursor, id, op);
  const token = cursor.next();
  if (!isNumeric(id)) return readString(cursor, id, token);
  if (token.kind !== 'number') {
    throw cursor.error(
      `Expected a numeric value for ${describe(id)} but found ${cursor.describe(token)}`,
      token,
    );
  }
  const value = Number(token.text);
  if (id.entity === 'attribute' && !Number.isSafeInteger(value)) {
    throw cursor.error(
      `Expected an integer for ${describe(id)} but found '${token.text}'`,
      token,
      'times are epoch milliseconds',
    );
  }
  return value;
}

function readString(cursor: TokenCursor, id: ParsedIdentifier, token: Token): string {
  if (token.kind === 'squote' || token.kind === 'dquote') return token.value;
  throw cursor.error(
    `Expected a quoted string value for ${describe(id)} but found ${cursor.describe(token)}`,
    token,
    "write strings in single or double quotes, as in '0.01'",
  );
}

function readList(cursor: TokenCursor, id: ParsedIdentifier, op: FilterOp): string[] {
  const open = cursor.next();
  if (open.kind !== '(') {
    throw cursor.error(
      `Expected a parenthesised list after ${op} but found ${cursor.describe(open)}`,
      open,
      "as in IN ('a', 'b')",
    );
  }
  if (cursor.peek().kind === ')') throw cursor.error(`Empty list after ${op}`, cursor.peek());
  const values: string[] = [];
  for (;;) {
    values.push(readString(cursor, id, cursor.next()));
    const sep = cursor.next();
    if (sep.kind === ')') return values;
    if (sep.kind !== ',') {
      throw cursor.error(`Expected ',' or ')' in the ${op} list but found ${cursor.describe(sep)}`, sep);
    }
  }
}
