import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, redactUrl, SETTINGS } from './config.js';
import { CyclopsError } from './errors.js';

let dir: string;
/** An empty YAML file: keeps a stray ./cyclops.yaml or $CYCLOPS_CONFIG from leaking into a test. */
let emptyFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cyclops-config-'));
  emptyFile = writeYaml('empty.yaml', '');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeYaml(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs loadConfig expecting it to throw; returns the CyclopsError. */
function configError(...args: Parameters<typeof loadConfig>): CyclopsError {
  try {
    loadConfig(...args);
  } catch (err) {
    expect(err).toBeInstanceOf(CyclopsError);
    return err as CyclopsError;
  }
  throw new Error('loadConfig did not throw');
}

describe('loadConfig defaults', () => {
  it('fills every setting from its documented default', () => {
    const c = loadConfig({ env: {}, file: emptyFile });
    expect(isAbsolute(c.home)).toBe(true);
    expect(c.home).toBe(resolve('.cyclops'));
    expect(c.artifactsDir).toBe(join(c.home, 'artifacts'));
    expect(c.port).toBe(5055);
    expect(c.host).toBe('127.0.0.1');
    expect(c.logLevel).toBe('info');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.databasePoolSize).toBe(10);
    expect(c.url).toBe('http://127.0.0.1:5055');
    expect(c.project).toBe('default');
    expect(c.user.length).toBeGreaterThan(0);
  });

  it('artifactsDir follows home, and the url follows host and port', () => {
    const home = join(dir, 'somewhere');
    const c = loadConfig({ env: { CYCLOPS_HOME: home, CYCLOPS_PORT: '6000' }, file: emptyFile });
    expect(c.home).toBe(home);
    expect(c.artifactsDir).toBe(join(home, 'artifacts'));
    expect(c.url).toBe('http://127.0.0.1:6000');
  });

  it('resolves a relative home to an absolute path', () => {
    const c = loadConfig({ env: { CYCLOPS_HOME: 'rel/home' }, file: emptyFile });
    expect(c.home).toBe(resolve('rel/home'));
    expect(c.artifactsDir).toBe(resolve('rel/home/artifacts'));
  });

  it('a wildcard host still gives a loopback url', () => {
    const c = loadConfig({ env: { CYCLOPS_HOST: '0.0.0.0' }, file: emptyFile });
    expect(c.host).toBe('0.0.0.0');
    expect(c.url).toBe('http://127.0.0.1:5055');
  });

  it('every setting has a CYCLOPS_ variable and documentation', () => {
    const keys = new Set<string>();
    for (const s of SETTINGS) {
      expect(s.env).toMatch(/^CYCLOPS_[A-Z_]+$/);
      expect(s.doc.length).toBeGreaterThan(10);
      expect(keys.has(s.key)).toBe(false);
      keys.add(s.key);
    }
  });
});

describe('loadConfig sources', () => {
  it('reads environment variables', () => {
    const c = loadConfig({
      env: {
        CYCLOPS_HOME: join(dir, 'h'),
        CYCLOPS_ARTIFACTS_DIR: join(dir, 'arts'),
        CYCLOPS_PORT: '8080',
        CYCLOPS_HOST: '0.0.0.0',
        CYCLOPS_LOG_LEVEL: 'debug',
        CYCLOPS_DATABASE_URL: 'postgres://u:p@db.example:5432/cyclops',
        CYCLOPS_DATABASE_POOL_SIZE: '25',
        CYCLOPS_URL: 'https://cyclops.example/',
        CYCLOPS_USER: 'alice',
        CYCLOPS_PROJECT: 'fraud',
      },
      file: emptyFile,
    });
    expect(c).toMatchObject({
      home: join(dir, 'h'),
      artifactsDir: join(dir, 'arts'),
      port: 8080,
      host: '0.0.0.0',
      logLevel: 'debug',
      databaseUrl: 'postgres://u:p@db.example:5432/cyclops',
      databasePoolSize: 25,
      url: 'https://cyclops.example',
      user: 'alice',
      project: 'fraud',
    });
  });

  it('reads a yaml file', () => {
    const file = writeYaml(
      'values.yaml',
      'port: 7070\nhost: 10.0.0.1\nlogLevel: warn\ndatabasePoolSize: 3\nproject: yamlproj\n',
    );
    const c = loadConfig({ env: {}, file });
    expect(c.port).toBe(7070);
    expect(c.host).toBe('10.0.0.1');
    expect(c.logLevel).toBe('warn');
    expect(c.databasePoolSize).toBe(3);
    expect(c.project).toBe('yamlproj');
    expect(c.url).toBe('http://10.0.0.1:7070');
  });

  it('finds the yaml file through CYCLOPS_CONFIG', () => {
    const file = writeYaml('via-env.yaml', 'port: 7171\n');
    expect(loadConfig({ env: { CYCLOPS_CONFIG: file } }).port).toBe(7171);
  });

  it('environment wins over yaml, overrides win over environment', () => {
    const file = writeYaml('layers.yaml', 'port: 7070\nhost: 10.0.0.1\nlogLevel: warn\n');
    const env = { CYCLOPS_PORT: '8080', CYCLOPS_LOG_LEVEL: 'error' };
    const c = loadConfig({ env, file, overrides: { port: 9090 } });
    expect(c.port).toBe(9090); // override > env > yaml
    expect(c.logLevel).toBe('error'); // env > yaml
    expect(c.host).toBe('10.0.0.1'); // yaml > default
    expect(loadConfig({ env, file }).port).toBe(8080);
  });

  it('an undefined override does not hide the environment', () => {
    const c = loadConfig({ env: { CYCLOPS_PORT: '8080' }, file: emptyFile, overrides: { port: undefined } });
    expect(c.port).toBe(8080);
  });

  it('validates overrides too', () => {
    const e = configError({ env: {}, file: emptyFile, overrides: { port: 'nope' } });
    expect(e.message).toContain('--port');
  });

  it('an empty environment variable counts as unset', () => {
    const file = writeYaml('empty-env.yaml', 'port: 7070\n');
    const c = loadConfig({
      env: { CYCLOPS_PORT: '', CYCLOPS_HOME: '', CYCLOPS_DATABASE_URL: '', CYCLOPS_LOG_LEVEL: '' },
      file,
    });
    expect(c.port).toBe(7070); // falls through to yaml, not an error and not 0
    expect(c.home).toBe(resolve('.cyclops'));
    expect(c.databaseUrl).toBeUndefined();
    expect(c.logLevel).toBe('info');
  });
});

describe('loadConfig validation', () => {
  it('reports every bad value in one error', () => {
    const e = configError({
      env: {
        CYCLOPS_PORT: 'abc',
        CYCLOPS_LOG_LEVEL: 'loud',
        CYCLOPS_DATABASE_URL: 'mysql://x',
        CYCLOPS_DATABASE_POOL_SIZE: '0',
      },
      file: emptyFile,
    });
    expect(e.code).toBe('invalid_argument');
    expect(e.status).toBe(400);
    for (const name of [
      'CYCLOPS_PORT',
      'CYCLOPS_LOG_LEVEL',
      'CYCLOPS_DATABASE_URL',
      'CYCLOPS_DATABASE_POOL_SIZE',
    ]) {
      expect(e.message).toContain(name);
    }
    expect(e.message).toContain("'abc'");
    expect(e.message).toContain("'loud'");
    expect(e.details.problems).toHaveLength(4);
  });

  it.each([
    ['CYCLOPS_PORT', '70000'],
    ['CYCLOPS_PORT', '-1'],
    ['CYCLOPS_PORT', '80.5'],
    ['CYCLOPS_PORT', '9007199254740993'],
    ['CYCLOPS_DATABASE_POOL_SIZE', '201'],
    ['CYCLOPS_BODY_LIMIT_BYTES', '10'],
    ['CYCLOPS_ARTIFACT_MAX_BYTES', '0'],
    ['CYCLOPS_URL', 'ftp://host'],
    ['CYCLOPS_URL', 'not a url'],
    ['CYCLOPS_DATABASE_URL', 'not a url'],
    ['CYCLOPS_HOST', '   '],
  ])('rejects %s=%s', (name, value) => {
    const e = configError({ env: { [name]: value }, file: emptyFile });
    expect(e.message).toContain(name);
    expect(e.details.problems).toHaveLength(1);
  });

  it('accepts the edges of the ranges and both postgres schemes', () => {
    const c = loadConfig({
      env: {
        CYCLOPS_PORT: '0',
        CYCLOPS_DATABASE_POOL_SIZE: '200',
        CYCLOPS_DATABASE_URL: 'postgresql://h/db',
        CYCLOPS_BODY_LIMIT_BYTES: '1024',
      },
      file: emptyFile,
    });
    expect(c.port).toBe(0);
    expect(c.databasePoolSize).toBe(200);
    expect(c.databaseUrl).toBe('postgresql://h/db');
    expect(c.bodyLimitBytes).toBe(1024);
  });

  it('reports an unknown yaml key, together with bad values', () => {
    const file = writeYaml('unknown.yaml', 'prot: 5055\nport: high\n');
    const e = configError({ env: {}, file });
    expect(e.message).toContain("unknown setting 'prot'");
    expect(e.message).toContain("'high' is not an integer");
    expect(e.details.problems).toHaveLength(2);
  });

  it('reports a yaml file that is a list', () => {
    const file = writeYaml('list.yaml', '- port: 1\n- host: x\n');
    const e = configError({ env: {}, file });
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toContain(file);
    expect(e.message).toContain('a list');
  });

  it('reports a yaml file that is a scalar', () => {
    const file = writeYaml('scalar.yaml', 'just text\n');
    expect(configError({ env: {}, file }).message).toContain('expected a mapping');
  });

  it('reports malformed yaml and a missing file', () => {
    const bad = writeYaml('broken.yaml', 'port: [1, 2\n');
    expect(configError({ env: {}, file: bad }).message).toContain(bad);
    const missing = join(dir, 'does-not-exist.yaml');
    expect(configError({ env: {}, file: missing }).message).toContain(missing);
  });

  it('never shows the password of a bad database URL', () => {
    for (const url of [
      'mysql://admin:hunter2secret@db.example/cyclops',
      'postgres://admin:hunter2secret@[not-a-host/cyclops',
      'postgres://admin:hunter2secret@db.example:notaport/cyclops',
    ]) {
      const e = configError({ env: { CYCLOPS_DATABASE_URL: url }, file: emptyFile });
      expect(e.message).toContain('CYCLOPS_DATABASE_URL');
      expect(e.message).not.toContain('hunter2secret');
      expect(JSON.stringify(e.details)).not.toContain('hunter2secret');
    }
  });

  it('never shows the password of a bad database URL from yaml', () => {
    const file = writeYaml('badurl.yaml', 'databaseUrl: mysql://admin:yamlsecret@db.example/x\n');
    const e = configError({ env: {}, file });
    expect(e.message).toContain('databaseUrl');
    expect(e.message).not.toContain('yamlsecret');
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgres://user:pa55@host:5432/db')).toBe('postgres://user:***@host:5432/db');
    expect(redactUrl('postgres://user@host/db')).toBe('postgres://user@host/db');
    expect(redactUrl('postgres://host/db')).toBe('postgres://host/db');
  });
});

// Regressions: each of these was once a bug.
describe('edge cases that were bugs', () => {
  it('a yaml key without a value counts as unset, not as the string "null"', () => {
    const file = writeYaml('nulls.yaml', 'home:\nhost: ~\n');
    const c = loadConfig({ env: {}, file });
    expect(c.host).toBe('127.0.0.1');
    expect(c.home).toBe(resolve('.cyclops'));
  });

  // redactUrl's `[^@]*` stops at the first '@', so a raw '@' in the password leaks the rest of it.
  it('hides a password that contains a raw @', () => {
    const e = configError({
      env: { CYCLOPS_DATABASE_URL: 'postgres://u:pre@postsecret@host:badport/db' },
      file: emptyFile,
    });
    expect(e.message).not.toContain('postsecret');
  });

  // The yaml parser's message quotes the offending line: only its position may be reported.
  it('a yaml syntax error does not echo a password on the bad line', () => {
    const file = writeYaml('syntax.yaml', 'databaseUrl: postgres://u:yamlsecret@h/db: x\n');
    expect(configError({ env: {}, file }).message).not.toContain('yamlsecret');
  });
});
