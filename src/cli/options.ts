import { InvalidArgumentError } from 'commander';
import { VALID_ROLES } from './deps.js';

export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return port;
}

export function parsePositiveInt(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1');
  }
  return n;
}

/** `api,serving` -> ['api', 'serving'], refusing a role the binary does not have. */
export function parseRoles(text: string): string[] {
  const roles = [
    ...new Set(
      text
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== ''),
    ),
  ];
  if (roles.length === 0) throw new InvalidArgumentError(`expected one or more of ${VALID_ROLES.join(', ')}`);
  const unknown = roles.filter((r) => !(VALID_ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `unknown role${unknown.length > 1 ? 's' : ''} ${unknown.map((r) => `'${r}'`).join(', ')}: valid roles are ${VALID_ROLES.join(', ')}`,
    );
  }
  return roles;
}

/** Repeatable `--tag key=value`. */
export function collectTag(
  text: string,
  previous: Array<{ key: string; value: string }> = [],
): Array<{ key: string; value: string }> {
  const at = text.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected key=value, e.g. --tag team=ml');
  return [...previous, { key: text.slice(0, at), value: text.slice(at + 1) }];
}
