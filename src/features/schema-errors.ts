import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message: string;
}

/** `/steps/3/columns/0` under prefix `x` as `x.steps[3].columns[0]` (JSON Pointer unescaped). */
function fieldPath(prefix: string, pointer: string): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (/^\d+$/.test(key)) out += `[${key}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

/**
 * The first thing wrong with `value`, as `<field>: <what>`, or null when it matches. Union errors are
 * folded into one "must be A, B or C", and an unknown field is named as such.
 */
export function schemaError(
  schema: TSchema,
  value: unknown,
  prefix: string,
): { field: string; message: string } | null {
  const errors = [...Value.Errors(schema, value)] as SchemaError[];
  const first = errors[0];
  if (!first) return null;
  const path = first.instancePath;
  const here = errors.filter((e) => e.instancePath === path);
  const field = fieldPath(prefix, path) || '(root)';
  if (first.keyword === 'boolean' || first.keyword === 'additionalProperties') {
    return { field, message: `${field}: unknown field` };
  }
  const required = here.find((e) => e.keyword === 'required');
  if (required) {
    const names = (required.params.requiredProperties as string[] | undefined) ?? [];
    const missing = fieldPath(prefix, `${path}/${names[0] ?? '?'}`);
    return { field: missing, message: `${missing}: is required` };
  }
  const enumError = here.find((e) => e.keyword === 'enum');
  if (enumError) {
    const allowed = (enumError.params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
    return { field, message: `${field}: must be ${alternatives(allowed)}` };
  }
  if (here.some((e) => e.keyword === 'anyOf')) {
    const options = here.flatMap((e) => {
      if (e.keyword === 'const') return [JSON.stringify(e.params.allowedValue)];
      if (e.keyword === 'type')
        return [`a${/^[aeiou]/.test(String(e.params.type)) ? 'n' : ''} ${e.params.type}`];
      return [];
    });
    if (options.length > 0) return { field, message: `${field}: must be ${alternatives(options)}` };
  }
  return { field, message: `${field}: ${first.message}` };
}

function alternatives(options: string[]): string {
  return options.length <= 1 ? (options[0] ?? '') : `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`;
}
