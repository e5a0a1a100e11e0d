import type { CyclopsError } from '../../core/index.js';
import type { FilterEntity } from './filter-ast.js';
import { isIdentifierPart, lex, type Token } from './filter-lexer.js';
import { type SearchField, syntaxError } from './syntax-error.js';

/** The runs column behind a searchable attribute; `type` decides which comparators and values it takes. */
export interface AttributeSpec {
  column: 'status' | 'name' | 'run_uuid' | 'user_id' | 'artifact_uri' | 'start_time' | 'end_time';
  type: 'string' | 'number';
  nullable: boolean;
}

// Maps, not object literals: a key like `constructor` must not find Object.prototype.
export const ATTRIBUTES: ReadonlyMap<string, AttributeSpec> = new Map<string, AttributeSpec>([
  ['status', { column: 'status', type: 'string', nullable: false }],
  ['run_name', { column: 'name', type: 'string', nullable: false }],
  ['run_id', { column: 'run_uuid', type: 'string', nullable: false }],
  ['user_id', { column: 'user_id', type: 'string', nullable: false }],
  ['artifact_uri', { column: 'artifact_uri', type: 'string', nullable: false }],
  ['start_time', { column: 'start_time', type: 'number', nullable: false }],
  ['end_time', { column: 'end_time', type: 'number', nullable: true }],
]);

/** The spellings MLflow's UI and docs use for the same attributes. */
const ATTRIBUTE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['run name', 'run_name'],
  ['Run name', 'run_name'],
  ['Run Name', 'run_name'],
  ['created', 'start_time'],
  ['Created', 'start_time'],
]);

const ENTITIES: ReadonlyMap<string, FilterEntity> = new Map<string, FilterEntity>([
  ['metric', 'metric'],
  ['metrics', 'metric'],
  ['param', 'param'],
  ['params', 'param'],
  ['parameter', 'param'],
  ['parameters', 'param'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
]);

export function attributeSpec(key: string): AttributeSpec {
  const spec = ATTRIBUTES.get(key);
  if (!spec) throw new Error(`unknown attribute ${key}`);
  return spec;
}

/** A cursor over tokens that knows which request field its errors belong to. */
export class TokenCursor {
  private readonly tokens: Iterator<Token, void>;
  private readonly ahead: Token[] = [];

  constructor(
    source: string,
    readonly field: SearchField,
  ) {
    this.tokens = lex(source, field);
  }

  /** Repeats 'eof' once the input is used up. */
  peek(offset = 0): Token {
    while (this.ahead.length <= offset) {
      const step = this.tokens.next();
      this.ahead.push(step.done ? this.ahead.at(-1)! : step.value);
    }
    return this.ahead[offset]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.ahead.shift();
    return token;
  }

  /** Keywords are case-insensitive, as in SQL; quoted text is never a keyword. */
  isKeyword(token: Token, word: string): boolean {
    return token.kind === 'word' && token.value.toUpperCase() === word;
  }

  /** How a message names a token: quoted source text, or the end of the input. */
  describe(token: Token): string {
    if (token.kind === 'eof') return `the end of the ${this.noun()}`;
    return token.kind === 'squote' || token.kind === 'dquote'
      ? `the string ${token.text}`
      : this.quote(token);
  }

  /** The token as written, in quotes unless it brings its own. */
  quote(token: Token): string {
    return token.kind === 'squote' || token.kind === 'dquote' || token.kind === 'backtick'
      ? token.text
      : `'${token.text}'`;
  }

  /** `hint` follows the position, so the message reads "what, where: how to fix". */
  error(message: string, token: Token, hint?: string): CyclopsError {
    const where = `${message} at position ${token.start + 1}`;
    return syntaxError(this.field, hint ? `${where}: ${hint}` : where, token.start + 1);
  }

  noun(): string {
    return this.field === 'filter' ? 'filter' : 'order_by clause';
  }
}

export interface ParsedIdentifier {
  entity: FilterEntity;
  key: string;
  /** Source text, for messages. */
  text: string;
  first: Token;
}

/**
 * `entity.key`, where each dot-separated part is bare, `backticked` or "double-quoted" and everything after
 * the first dot is the key (so `tags.mlflow.runName` has key `mlflow.runName`). A lone part names an
 * attribute, as MLflow allows (`status = 'FINISHED'`).
 */
export function parseIdentifier(cursor: TokenCursor): ParsedIdentifier {
  const first = cursor.peek();
  if (!isIdentifierPart(first.kind)) {
    throw cursor.error(
      `Expected an identifier such as metrics.<key> but found ${cursor.describe(first)}`,
      first,
    );
  }
  const parts: Token[] = [cursor.next()];
  while (cursor.peek().kind === '.' && cursor.peek().start === parts.at(-1)!.end) {
    const dot = cursor.next();
    const part = cursor.peek();
    if (!isIdentifierPart(part.kind) || part.start !== dot.end) {
      const soFar = parts.map((p) => p.text).join('.');
      throw cursor.error(`Expected a key after '${soFar}.' but found ${cursor.describe(part)}`, part);
    }
    parts.push(cursor.next());
  }
  const text = parts.map((p) => p.text).join('.');
  if (parts.length === 1) {
    if (first.kind === 'word' && ENTITIES.has(first.value)) {
      throw cursor.error(`Expected a key after '${first.text}' (as in ${first.text}.<key>)`, cursor.peek());
    }
    return { entity: 'attribute', key: attributeKey(cursor, first.value, first), text, first };
  }
  const entity = ENTITIES.get(first.value);
  if (!entity) {
    throw cursor.error(
      `Invalid entity type '${first.value}'`,
      first,
      'valid types are metric(s), param(s), parameter(s), tag(s), attribute(s), attr and run',
    );
  }
  const key = parts
    .slice(1)
    .map((p) => p.value)
    .join('.');
  if (key.trim() === '') throw cursor.error(`Empty key in '${text}'`, parts[1]!);
  return { entity, key: entity === 'attribute' ? attributeKey(cursor, key, parts[1]!) : key, text, first };
}

function attributeKey(cursor: TokenCursor, key: string, token: Token): string {
  const canonical = ATTRIBUTE_ALIASES.get(key) ?? key;
  if (!ATTRIBUTES.has(canonical)) {
    throw cursor.error(
      `Invalid attribute key '${key}'`,
      token,
      `valid keys are ${[...ATTRIBUTES.keys()].join(', ')}`,
    );
  }
  return canonical;
}
