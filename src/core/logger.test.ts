import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACT_PATHS } from './logger.js';

function collector(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(line);
      callback();
    },
  });
  return { stream, lines };
}

const SECRETS = [
  'pw-top',
  'pw-nested',
  'tok-top',
  'tok-nested',
  'sec-top',
  'hunter2',
  'bearer-h',
  'bearer-r',
  'cookie-r',
];

describe('createLogger', () => {
  it('writes JSON lines at the given level', () => {
    const { stream, lines } = collector();
    const log = createLogger('warn', stream);
    log.info('dropped');
    log.warn({ n: 1 }, 'kept');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry).toMatchObject({ level: 40, msg: 'kept', n: 1, pid: process.pid });
  });

  it('redacts secrets at the top level and one level down', () => {
    const { stream, lines } = collector();
    const log = createLogger('info', stream);
    log.info(
      {
        password: 'pw-top',
        token: 'tok-top',
        secret: 'sec-top',
        databaseUrl: 'postgres://u:hunter2@db/x',
        user: { name: 'alice', password: 'pw-nested', token: 'tok-nested' },
        headers: { authorization: 'Bearer bearer-h', accept: 'application/json' },
        req: { headers: { authorization: 'Bearer bearer-r', cookie: 'sid=cookie-r' } },
      },
      'login',
    );
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    for (const s of SECRETS) expect(line).not.toContain(s);
    expect(line).toContain('[redacted]');
    const entry = JSON.parse(line);
    expect(entry.password).toBe('[redacted]');
    expect(entry.databaseUrl).toBe('[redacted]');
    expect(entry.user).toEqual({ name: 'alice', password: '[redacted]', token: '[redacted]' });
    expect(entry.headers).toEqual({ authorization: '[redacted]', accept: 'application/json' });
    expect(entry.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]' });
    expect(entry.msg).toBe('login');
  });

  it('redacts a logged config object (databaseUrl one level down)', () => {
    const { stream, lines } = collector();
    createLogger('info', stream).info({ config: { databaseUrl: 'postgres://u:hunter2@db/x', port: 1 } });
    expect(lines[0]).not.toContain('hunter2');
    expect(JSON.parse(lines[0] ?? '{}').config).toEqual({ databaseUrl: '[redacted]', port: 1 });
  });

  it('child loggers keep the redaction', () => {
    const { stream, lines } = collector();
    createLogger('info', stream).child({ role: 'api' }).info({ token: 'tok-top' });
    expect(lines[0]).not.toContain('tok-top');
    expect(JSON.parse(lines[0] ?? '{}').role).toBe('api');
  });

  it('lists the paths it redacts', () => {
    expect(REDACT_PATHS).toEqual(
      expect.arrayContaining(['password', 'token', 'databaseUrl', '*.authorization', '*.*.authorization']),
    );
  });

  // Secrets deeper than one level (request headers under any key) are redacted too.
  it('redacts secrets nested deeper than one level', () => {
    const { stream, lines } = collector();
    createLogger('info', stream).info({
      request: { headers: { authorization: 'Bearer deep-bearer' } },
      a: { b: { password: 'deep-pw' } },
    });
    expect(lines[0]).not.toContain('deep-bearer');
    expect(lines[0]).not.toContain('deep-pw');
  });
});
