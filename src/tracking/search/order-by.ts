import { CyclopsError, isCyclopsError } from '../../core/index.js';
import type { OrderClause } from './filter-ast.js';
import { parseIdentifier, TokenCursor } from './identifiers.js';
import { syntaxError } from './syntax-error.js';

/**
 * Parses MLflow order_by clauses: `metrics.loss`, `metrics.\`val loss\` DESC`, `params.lr ASC`,
 * `attributes.start_time`, `start_time DESC`. ASC unless stated. Errors carry the clause's index.
 */
export function parseOrderBy(clauses: readonly string[]): OrderClause[] {
  return clauses.map((clause, index) => {
    try {
      return parseClause(clause);
    } catch (err) {
      if (!isCyclopsError(err)) throw err;
      throw new CyclopsError(err.code, `Invalid order_by clause ${JSON.stringify(clause)}: ${err.message}`, {
        ...err.details,
        index,
      });
    }
  });
}

function parseClause(clause: string): OrderClause {
  const cursor = new TokenCursor(clause, 'order_by');
  if (cursor.peek().kind === 'eof') throw syntaxError('order_by', 'Empty order_by clause');
  const id = parseIdentifier(cursor);
  let ascending = true;
  const direction = cursor.peek();
  if (cursor.isKeyword(direction, 'ASC') || cursor.isKeyword(direction, 'DESC')) {
    ascending = cursor.isKeyword(cursor.next(), 'ASC');
  } else if (direction.kind !== 'eof') {
    throw cursor.error(
      `Unexpected ${cursor.quote(direction)}`,
      direction,
      'expected ASC, DESC or the end of the clause (quote keys with spaces in backticks)',
    );
  }
  const rest = cursor.peek();
  if (rest.kind !== 'eof') {
    throw cursor.error(`Unexpected ${cursor.quote(rest)}`, rest, 'expected the end of the clause');
  }
  return { entity: id.entity, key: id.key, ascending };
}
