import Type, { type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { MAX_RULES, RULE_SCHEMAS, RULE_TYPES, type ValidationRules } from '../../contracts/index.js';
import { type ErrorDetails, invalid } from '../../core/index.js';

// The document's outer shape alone: rules are then checked one by one against their own type's
// schema, because a union's errors list every branch ("must be number or must be string or ...").
const Envelope = Type.Object(
  {
    version: Type.Optional(Type.Literal(1)),
    rules: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_RULES }),
  },
  { additionalProperties: false },
);

interface Problem {
  /** Path segments from the document root: ['rules', 2, 'min']. */
  path: (string | number)[];
  message: string;
}

/**
 * Parses a rules document written in YAML or JSON (JSON is YAML 1.2, so one parser reads both and
 * gives both a line). Errors are invalid_argument naming the file, the line and the field path
 * (`rules[2].min`).
 */
export function parseRulesDocument(text: string, fileName: string): ValidationRules {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = syntax.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    const what = (syntax.message.split('\n')[0] as string).replace(/ at line \d+, column \d+:?$/, '');
    throw invalid(`${fileName}${where}: ${what}`, {
      file: fileName,
      ...(pos && { line: pos.line, column: pos.col }),
    });
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const problem = findProblem(value);
  if (!problem) return value as ValidationRules;
  const line = lineOf(doc, problem.path, lineCounter);
  const field = fieldName(problem.path);
  const details: ErrorDetails = { file: fileName, field };
  if (line !== undefined) details.line = line;
  const where = `${fileName}${line === undefined ? '' : `:${line}`}`;
  throw invalid(`${where}: ${problem.path.length > 0 ? `${field}: ` : ''}${problem.message}`, details);
}

/** The line of a field's key (or of the nearest enclosing node that exists: a required field is absent). */
function lineOf(doc: Document, path: readonly (string | number)[], counter: LineCounter): number | undefined {
  let node: unknown = doc.contents;
  let line = (node as Node | null)?.range ? counter.linePos((node as Node).range?.[0] ?? 0).line : undefined;
  for (const segment of path) {
    let next: unknown;
    let at: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
      next = pair?.value;
      at = pair?.key as Node | undefined;
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
      at = next as Node | undefined;
    }
    if (!at?.range) break;
    line = counter.linePos(at.range[0]).line;
    node = next;
  }
  return line;
}

/** Checks a parsed value (a request body) is a rules document; errors name the field path. */
export function rulesFromValue(value: unknown): ValidationRules {
  const problem = findProblem(value);
  if (!problem) return value as ValidationRules;
  const field = fieldName(problem.path);
  throw invalid(`${field}: ${problem.message}`, { field });
}

function findProblem(value: unknown): Problem | null {
  if (value === null || value === undefined) return { path: [], message: 'the document is empty' };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { path: [], message: 'must be a mapping with a `rules` list' };
  }
  const outer = firstError(Envelope, value, []);
  if (outer) return outer;
  const rules = (value as { rules: unknown[] }).rules;
  for (const [i, rule] of rules.entries()) {
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) {
      return { path: ['rules', i], message: 'must be a mapping with a `type`' };
    }
    const type = (rule as { type?: unknown }).type;
    if (type === undefined)
      return { path: ['rules', i, 'type'], message: `is required (one of ${RULE_TYPES.join(', ')})` };
    if (typeof type !== 'string' || !Object.hasOwn(RULE_SCHEMAS, type)) {
      return {
        path: ['rules', i, 'type'],
        message: `unknown rule type ${JSON.stringify(type)} (one of ${RULE_TYPES.join(', ')})`,
      };
    }
    const problem = firstError(RULE_SCHEMAS[type as keyof typeof RULE_SCHEMAS], rule, ['rules', i]);
    if (problem) return problem;
  }
  return null;
}

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/**
 * The first field with errors, its messages merged (a union reports one per branch). An unknown field
 * comes first: `colum: x` is better reported as a misspelling than as a missing `column`.
 */
function firstError(schema: TSchema, value: unknown, base: (string | number)[]): Problem | null {
  const errors = [...Value.Errors(schema, value)] as SchemaError[];
  const unknown = errors.filter((e) => e.keyword === 'additionalProperties');
  const byPath = new Map<string, { path: (string | number)[]; messages: Set<string> }>();
  for (const e of unknown.length > 0 ? unknown : errors) {
    if (e.keyword === 'boolean' || e.keyword === 'anyOf') continue;
    let path = [...base, ...pointer(e.instancePath)];
    let message = e.message;
    if (e.keyword === 'additionalProperties') {
      const name = (e.params.additionalProperties as string[])[0] as string;
      const known = Object.keys((schema as { properties?: object }).properties ?? {});
      path = [...path, name];
      message = `unknown field (expected one of ${known.join(', ')})`;
    } else if (e.keyword === 'required') {
      path = [...path, (e.params.requiredProperties as string[])[0] as string];
      message = 'is required';
    } else if (e.keyword === 'const') {
      message = `must be ${JSON.stringify(e.params.allowedValue)}`;
    }
    const key = JSON.stringify(path);
    const entry = byPath.get(key) ?? { path, messages: new Set<string>() };
    entry.messages.add(message);
    byPath.set(key, entry);
  }
  const first = byPath.values().next().value;
  return first ? { path: first.path, message: [...first.messages].join(' or ') } : null;
}

function pointer(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** ['rules', 2, 'min'] -> rules[2].min; the root is `document`. */
export function fieldName(path: readonly (string | number)[]): string {
  const name = path.reduce<string>(
    (out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${p}` : p),
    '',
  );
  return name || 'document';
}
