import type { FastifyError, FastifyInstance } from 'fastify';
import {
  CyclopsError,
  ERROR_STATUS,
  type ErrorCode,
  httpStatusFor,
  isCyclopsError,
  type Logger,
} from '../core/index.js';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
}

/**
 * The one mapping from errors to HTTP: CyclopsError by its code's status, Fastify's own client errors
 * (bad JSON, too large, wrong media type, schema validation) to the matching code, anything else to a
 * 500 `internal` that leaks nothing (the cause goes to the log).
 */
export function installErrorHandler(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const e = toCyclopsError(err);
    if (e.code === 'internal')
      log.error({ err, url: request.url, method: request.method }, 'unhandled error');
    void reply.status(e.status).send({ error: e.toJSON() });
  });
  app.setNotFoundHandler((request, reply) => {
    const e = new CyclopsError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`);
    void reply.status(404).send({ error: e.toJSON() });
  });
}

export function toCyclopsError(err: FastifyError): CyclopsError {
  if (isCyclopsError(err)) return err;
  if (err.validation) {
    const issues = err.validation as ValidationIssue[];
    const part = err.validationContext ?? 'body';
    const field = `${part}${issues[0]?.instancePath ?? ''}`;
    // A union reports one line per branch: merge them per field so the message reads as one sentence.
    const byPath = new Map<string, Set<string>>();
    for (const issue of issues) {
      const path = `${part}${issue.instancePath ?? ''}`;
      const text = issue.message ?? 'is invalid';
      if (/match a schema in anyOf/.test(text)) continue;
      byPath.set(path, (byPath.get(path) ?? new Set()).add(text));
    }
    const messages = [...byPath].slice(0, 10).map(([path, texts]) => `${path}: ${[...texts].join(' or ')}`);
    if (messages.length === 0) messages.push(`${field}: is invalid`);
    return new CyclopsError('invalid_argument', messages.join('; '), { field, issues: messages });
  }
  const byFastifyCode: Record<string, ErrorCode> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_argument',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_argument',
    FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_argument',
  };
  const mapped = err.code && Object.hasOwn(byFastifyCode, err.code) ? byFastifyCode[err.code] : undefined;
  if (mapped) return new CyclopsError(mapped, clientMessage(err, mapped), { field: 'body' });
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // A plugin's client error keeps its status (429 stays 429): the first code with that status.
    const code = (Object.keys(ERROR_STATUS) as ErrorCode[]).find((c) => httpStatusFor(c) === status);
    return new CyclopsError(code ?? 'invalid_argument', err.message);
  }
  return new CyclopsError('internal', 'Internal server error; the server log has the details.');
}

function clientMessage(err: FastifyError, code: ErrorCode): string {
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return `Malformed JSON body: ${err.message}`;
  if (code === 'payload_too_large')
    return 'Request body is larger than the server accepts (CYCLOPS_BODY_LIMIT_BYTES)';
  if (code === 'unsupported_media_type') return `${err.message}; send application/json`;
  return err.message;
}
