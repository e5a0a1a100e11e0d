import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CyclopsError } from './errors.js';

/**
 * Configuration is read once at boot from environment variables and an optional `cyclops.yaml`
 * (environment wins). Every bad value is reported in one error, so a user fixes them all in one go.
 * SETTINGS is the single source for validation, defaults and the README's table (`cyclops config --docs`).
 */
export interface Config {
  home: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  artifactsDir: string;
  host: string;
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  artifactMaxBytes: number;
  url: string;
  user: string;
  project: string;
}

type Kind = 'string' | 'int' | 'url' | 'postgres-url' | 'log-level';

interface Setting {
  key: keyof Config;
  env: string;
  kind: Kind;
  doc: string;
  /** Default, computed from the settings read so far (so `artifactsDir` follows `home`). */
  fallback: (partial: Partial<Config>) => string | number | undefined;
  min?: number;
  max?: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const SETTINGS: readonly Setting[] = [
  {
    key: 'home',
    env: 'CYCLOPS_HOME',
    kind: 'string',
    doc: 'Data directory of the embedded store (PGlite) and of local artifacts.',
    fallback: () => '.cyclops',
  },
  {
    key: 'databaseUrl',
    env: 'CYCLOPS_DATABASE_URL',
    kind: 'postgres-url',
    doc: 'A postgres:// URL of a PostgreSQL 15+ server. Unset: the embedded PGlite store under CYCLOPS_HOME.',
    fallback: () => undefined,
  },
  {
    key: 'databasePoolSize',
    env: 'CYCLOPS_DATABASE_POOL_SIZE',
    kind: 'int',
    min: 1,
    max: 200,
    doc: 'Connections per process to the Postgres server.',
    fallback: () => 10,
  },
  {
    key: 'artifactsDir',
    env: 'CYCLOPS_ARTIFACTS_DIR',
    kind: 'string',
    doc: 'Root directory of the local artifact store.',
    fallback: (c) => `${c.home}/artifacts`,
  },
  {
    key: 'host',
    env: 'CYCLOPS_HOST',
    kind: 'string',
    doc: 'Address the server binds to.',
    fallback: () => '127.0.0.1',
  },
  {
    key: 'port',
    env: 'CYCLOPS_PORT',
    kind: 'int',
    min: 0,
    max: 65535,
    doc: 'Port the server listens on (0 picks a free one).',
    fallback: () => 5055,
  },
  {
    key: 'logLevel',
    env: 'CYCLOPS_LOG_LEVEL',
    kind: 'log-level',
    doc: `Log level: ${LOG_LEVELS.join(', ')}.`,
    fallback: () => 'info',
  },
  {
    key: 'bodyLimitBytes',
    env: 'CYCLOPS_BODY_LIMIT_BYTES',
    kind: 'int',
    min: 1024,
    doc: 'Largest JSON request body accepted (413 above it).',
    fallback: () => 16 * 1024 * 1024,
  },
  {
    key: 'artifactMaxBytes',
    env: 'CYCLOPS_ARTIFACT_MAX_BYTES',
    kind: 'int',
    min: 1,
    doc: 'Largest single artifact upload (streamed, never held in memory).',
    fallback: () => 5 * 1024 ** 3,
  },
  {
    key: 'url',
    env: 'CYCLOPS_URL',
    kind: 'url',
    doc: 'Server the CLI and SDK talk to.',
    fallback: (c) =>
      `http://${c.host === '0.0.0.0' || c.host === '::' ? '127.0.0.1' : c.host}:${c.port || 5055}`,
  },
  {
    key: 'user',
    env: 'CYCLOPS_USER',
    kind: 'string',
    doc: 'Actor name the CLI and SDK send (header X-Cyclops-User). Default: the OS user.',
    fallback: () => safeOsUser(),
  },
  {
    key: 'project',
    env: 'CYCLOPS_PROJECT',
    kind: 'string',
    doc: 'Project the CLI and SDK work in (header X-Cyclops-Project).',
    fallback: () => 'default',
  },
];

/** The URL of the local server as configured by host and port (what `url` defaults to). */
export function defaultUrl(c: Partial<Pick<Config, 'host' | 'port'>>): string {
  const host = !c.host || c.host === '0.0.0.0' || c.host === '::' ? '127.0.0.1' : c.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${c.port || 5055}`;
}

function safeOsUser(): string {
  try {
    return userInfo().username || 'anonymous';
  } catch {
    return 'anonymous';
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Path of a YAML file; default `$CYCLOPS_CONFIG` or `./cyclops.yaml` when present. */
  file?: string;
  /** Values that win over both (command-line flags). */
  overrides?: Partial<Record<keyof Config, string | number | undefined>>;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const fileValues = readConfigFile(options.file ?? env.CYCLOPS_CONFIG, problems);
  const out: Partial<Config> = {};
  for (const s of SETTINGS) {
    const override = options.overrides?.[s.key];
    const fromEnv = env[s.env];
    const raw =
      override !== undefined
        ? { value: override, where: `--${s.key}` }
        : fromEnv !== undefined && fromEnv !== ''
          ? { value: fromEnv, where: s.env }
          : fileValues.values[s.key] != null
            ? { value: fileValues.values[s.key], where: `${fileValues.file}: ${s.key}` }
            : undefined;
    const value = raw === undefined ? s.fallback(out) : parseSetting(s, raw.value, raw.where, problems);
    (out as Record<string, unknown>)[s.key] = value;
  }
  if (problems.length > 0) {
    throw new CyclopsError('invalid_argument', `Invalid configuration:\n  - ${problems.join('\n  - ')}`, {
      problems,
    });
  }
  const config = out as Config;
  config.home = resolve(config.home);
  config.artifactsDir = resolve(config.artifactsDir);
  return config;
}

/** A key without a value (`host:`) parses as null and counts as unset, like an empty variable. */
function readConfigFile(
  path: string | undefined,
  problems: string[],
): { file: string; values: Record<string, unknown> } {
  const file = path ?? (existsSync('cyclops.yaml') ? 'cyclops.yaml' : undefined);
  if (!file) return { file: 'cyclops.yaml', values: {} };
  const values = parseConfigFile(file, problems);
  return { file, values };
}

function parseConfigFile(file: string, problems: string[]): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    // The parser's message quotes the offending line, which may hold a password: say where, not what.
    const e = err as { code?: string; linePos?: Array<{ line: number; col: number }>; message: string };
    const at = e.linePos?.[0];
    problems.push(
      at
        ? `${file}: invalid YAML at line ${at.line}, column ${at.col} (${e.code ?? 'syntax error'})`
        : `${file}: ${e.code === 'ENOENT' ? 'file not found' : 'cannot be read as YAML'}`,
    );
    return {};
  }
  if (doc == null) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push(
      `${file}: expected a mapping of settings, got ${Array.isArray(doc) ? 'a list' : typeof doc}`,
    );
    return {};
  }
  const known = new Set(SETTINGS.map((s) => s.key as string));
  for (const key of Object.keys(doc)) {
    if (!known.has(key)) problems.push(`${file}: unknown setting '${key}' (known: ${[...known].join(', ')})`);
  }
  return doc as Record<string, unknown>;
}

function parseSetting(s: Setting, value: unknown, where: string, problems: string[]): unknown {
  const text = String(value);
  switch (s.kind) {
    case 'int': {
      const n = Number(text);
      if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
        problems.push(`${where}: '${text}' is not an integer`);
        return undefined;
      }
      if ((s.min !== undefined && n < s.min) || (s.max !== undefined && n > s.max)) {
        problems.push(`${where}: ${n} is outside ${s.min ?? '-inf'}..${s.max ?? 'inf'}`);
      }
      return n;
    }
    case 'url':
    case 'postgres-url': {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        problems.push(`${where}: '${redactUrl(text)}' is not a URL`);
        return undefined;
      }
      const okProtocols = s.kind === 'url' ? ['http:', 'https:'] : ['postgres:', 'postgresql:'];
      if (!okProtocols.includes(url.protocol)) {
        problems.push(`${where}: expected a ${okProtocols.join(' or ')} URL, got '${url.protocol}'`);
      }
      return s.kind === 'url' ? text.replace(/\/+$/, '') : text;
    }
    case 'log-level':
      if (!(LOG_LEVELS as readonly string[]).includes(text)) {
        problems.push(`${where}: '${text}' is not one of ${LOG_LEVELS.join(', ')}`);
      }
      return text;
    default:
      if (text.trim() === '') problems.push(`${where}: must not be empty`);
      return text;
  }
}

/** Hides the password of a URL, for messages and logs. */
export function redactUrl(text: string): string {
  // Greedy up to the last '@': a password may itself contain a raw '@'.
  return text.replace(/\/\/([^:/@]*):.*@/, '//$1:***@');
}
