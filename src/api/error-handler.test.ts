import { Writable } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CyclopsError, createLogger } from '../core/index.js';
import { installErrorHandler, toCyclopsError } from './error-handler.js';

/** Builds an error shaped like the ones Fastify hands to the error handler. */
function fastifyError(
  props: Partial<FastifyError> & Record<string, unknown>,
  message = 'failed',
): FastifyError {
  return Object.assign(new Error(message), props) as FastifyError;
}

describe('toCyclopsError', () => {
  it('passes a CyclopsError through unchanged', () => {
    const e = new CyclopsError('conflict', 'run is finished', { field: '/status' });
    expect(toCyclopsError(e as unknown as FastifyError)).toBe(e);
  });

  it('maps schema validation to invalid_argument with the field path', () => {
    const e = toCyclopsError(
      fastifyError({
        validation: [
          { instancePath: '/a', message: 'must be number' },
          { instancePath: '/b/0', message: 'must be string' },
        ],
        validationContext: 'body',
      } as never),
    );
    expect(e.code).toBe('invalid_argument');
    expect(e.status).toBe(400);
    expect(e.details.field).toBe('body/a');
    expect(e.message).toBe('body/a: must be number; body/b/0: must be string');
    expect(e.details.issues).toEqual(['body/a: must be number', 'body/b/0: must be string']);
  });

  it('uses the validation context (querystring, params) in the field', () => {
    const e = toCyclopsError(
      fastifyError({
        validation: [{ instancePath: '/max_results', message: 'must be integer' }],
        validationContext: 'querystring',
      } as never),
    );
    expect(e.details.field).toBe('querystring/max_results');
    expect(e.message).toBe('querystring/max_results: must be integer');
  });

  it('merges the branches of a union at one path into one message', () => {
    const e = toCyclopsError(
      fastifyError({
        validation: [
          { instancePath: '/value', message: 'must be number' },
          { instancePath: '/value', message: 'must be string' },
          { instancePath: '/value', message: 'must be number' },
          { instancePath: '/value', message: 'must match a schema in anyOf' },
        ],
        validationContext: 'body',
      } as never),
    );
    expect(e.code).toBe('invalid_argument');
    expect(e.details.field).toBe('body/value');
    expect(e.message).toBe('body/value: must be number or must be string');
    expect(e.details.issues).toEqual(['body/value: must be number or must be string']);
  });

  it('handles issues without a path or message, and an empty list', () => {
    const root = toCyclopsError(fastifyError({ validation: [{}], validationContext: 'body' } as never));
    expect(root.details.field).toBe('body');
    expect(root.message).toBe('body: is invalid');
    const onlyAnyOf = toCyclopsError(
      fastifyError({
        validation: [{ instancePath: '/x', message: 'must match a schema in anyOf' }],
        validationContext: 'params',
      } as never),
    );
    expect(onlyAnyOf.message).toBe('params/x: is invalid');
    const empty = toCyclopsError(fastifyError({ validation: [] } as never));
    expect(empty.code).toBe('invalid_argument');
    expect(empty.details.field).toBe('body');
  });

  it('caps the message at ten fields', () => {
    const validation = Array.from({ length: 25 }, (_, i) => ({ instancePath: `/f${i}`, message: 'is bad' }));
    const e = toCyclopsError(fastifyError({ validation, validationContext: 'body' } as never));
    expect(e.details.issues).toHaveLength(10);
    expect(e.message).not.toContain('/f10');
  });

  it('maps FST_ERR_CTP_BODY_TOO_LARGE to payload_too_large 413', () => {
    const e = toCyclopsError(
      fastifyError({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }, 'Request body is too large'),
    );
    expect(e.code).toBe('payload_too_large');
    expect(e.status).toBe(413);
    expect(e.message).toContain('CYCLOPS_BODY_LIMIT_BYTES');
    expect(e.details.field).toBe('body');
  });

  it('maps FST_ERR_CTP_INVALID_JSON_BODY to invalid_argument "Malformed JSON"', () => {
    const e = toCyclopsError(
      fastifyError(
        { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 },
        "Body is not valid JSON but content-type is set to 'application/json'",
      ),
    );
    expect(e.code).toBe('invalid_argument');
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/^Malformed JSON/);
  });

  it.each([
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'unsupported_media_type', 415],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 'invalid_argument', 400],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 'invalid_argument', 400],
  ])('maps %s to %s', (code, expected, status) => {
    const e = toCyclopsError(fastifyError({ code, statusCode: status }, 'fastify says no'));
    expect(e.code).toBe(expected);
    expect(e.status).toBe(status);
  });

  it('maps other 4xx errors by status', () => {
    expect(toCyclopsError(fastifyError({ statusCode: 404 }, 'gone')).code).toBe('not_found');
    expect(toCyclopsError(fastifyError({ statusCode: 413 }, 'big')).code).toBe('payload_too_large');
    const e = toCyclopsError(fastifyError({ statusCode: 400 }, 'bad header'));
    expect(e.code).toBe('invalid_argument');
    expect(e.message).toBe('bad header');
  });

  // A plugin's 4xx keeps its status (a rate limiter's 429 is not a 400).
  it('keeps the status of a 429 from a plugin', () => {
    const e = toCyclopsError(fastifyError({ statusCode: 429 }, 'Rate limit exceeded'));
    expect(e.status).toBe(429);
    expect(e.code).toBe('rate_limited');
  });

  it('turns an unknown error into internal 500 without its message', () => {
    const e = toCyclopsError(new Error('secret db password xyz') as FastifyError);
    expect(e.code).toBe('internal');
    expect(e.status).toBe(500);
    expect(e.message).not.toContain('secret');
    expect(e.message).not.toContain('xyz');
    expect(JSON.stringify(e.toJSON())).not.toContain('secret');
  });

  it('treats 5xx and non-Fastify codes as internal', () => {
    const pgLike = fastifyError({ code: 'ECONNREFUSED' }, 'connect ECONNREFUSED secret-host:5432');
    expect(toCyclopsError(pgLike).code).toBe('internal');
    expect(toCyclopsError(pgLike).message).not.toContain('secret-host');
    expect(toCyclopsError(fastifyError({ statusCode: 502 }, 'upstream secret')).code).toBe('internal');
  });
});

describe('installErrorHandler on a Fastify app', () => {
  let app: FastifyInstance;
  const logLines: string[] = [];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        logLines.push(String(chunk));
        callback();
      },
    });
    app = Fastify({ bodyLimit: 1024 });
    installErrorHandler(app, createLogger('error', stream));
    app.post(
      '/typed',
      {
        schema: {
          body: {
            type: 'object',
            required: ['a'],
            properties: { a: { type: 'number' }, b: { anyOf: [{ type: 'number' }, { type: 'null' }] } },
          },
        },
      },
      async () => ({ ok: true }),
    );
    app.get('/boom', async () => {
      throw new Error('secret db password xyz');
    });
    app.get('/cyclops', async () => {
      throw new CyclopsError('conflict', 'already finished', { runId: 'r1' });
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers a CyclopsError with its status and body', async () => {
    const res = await app.inject({ method: 'GET', url: '/cyclops' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: { code: 'conflict', message: 'already finished', details: { runId: 'r1' } },
    });
  });

  it('answers a schema violation with 400 and the field', async () => {
    const res = await app.inject({ method: 'POST', url: '/typed', payload: { a: 'not a number' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('invalid_argument');
    expect(body.error.details.field).toBe('body/a');
    expect(body.error.message).toContain('body/a');
  });

  it('answers a union violation with one merged message', async () => {
    const res = await app.inject({ method: 'POST', url: '/typed', payload: { a: 1, b: { x: 1 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('body/b: must be number or must be null');
  });

  it('answers malformed JSON with 400 Malformed JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/typed',
      headers: { 'content-type': 'application/json' },
      payload: '{"a": 1,',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_argument');
    expect(res.json().error.message).toMatch(/^Malformed JSON/);
  });

  it('answers a too-large body with 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/typed',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ a: 1, pad: 'x'.repeat(4096) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('answers a wrong media type with 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/typed',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'a=1',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('answers an unknown route with 404 not_found', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope?token=abc' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 'not_found', message: 'No route GET /nope', details: {} });
  });

  it('answers an unexpected error with 500 that leaks nothing, and logs the cause', async () => {
    logLines.length = 0;
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal');
    expect(res.body).not.toContain('secret');
    expect(logLines.join('')).toContain('secret db password xyz');
    expect(logLines.join('')).toContain('unhandled error');
  });
});
