import { PROJECT_HEADER, USER_HEADER } from '../contracts/index.js';
import { CyclopsApiError, codeForStatus } from './errors.js';

export interface ClientOptions {
  /** Base URL of a CyclOps server, e.g. `http://127.0.0.1:5055`; a path prefix (behind a proxy) is kept. */
  url: string;
  /** Actor name sent as `x-cyclops-user`. Default `anonymous`. */
  user?: string;
  /** Project id sent as `x-cyclops-project`. Default `default`. */
  project?: string;
  /** A fetch implementation (tests, custom agents). Default: the global fetch. */
  fetch?: typeof fetch;
  /** Deadline of one JSON call; artifact transfers only wait this long for the response head. 0 = none. */
  timeoutMs?: number;
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** How long the timeout covers: the whole exchange, only until the response head arrives, or nothing. */
export type TimeoutScope = 'full' | 'headers' | 'none';

export interface SendOptions {
  query?: Query;
  body?: BodyInit;
  headers?: Record<string, string>;
  timeout?: TimeoutScope;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** The one place that talks HTTP: adds the context headers, and turns every failure into CyclopsApiError. */
export class HttpClient {
  readonly baseUrl: string;
  readonly user: string;
  readonly project: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: ClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.user = options.user ?? 'anonymous';
    this.project = options.project ?? 'default';
    // Called through a wrapper: browsers reject a fetch invoked with another `this`.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Sends `body` as JSON and parses the JSON answer; an empty answer reads as `{}`. Long server-side work
   * (an ingest, a split) passes `timeout: 'none'`.
   */
  async json<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; timeout?: TimeoutScope } = {},
  ): Promise<T> {
    const hasBody = options.body !== undefined;
    const { response, guard } = await this.exchange(method, path, {
      query: options.query,
      body: hasBody ? JSON.stringify(options.body) : undefined,
      headers: hasBody ? { 'content-type': 'application/json' } : {},
      timeout: options.timeout ?? 'full',
    });
    const text = await guard(response.text());
    if (text.trim() === '') return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CyclopsApiError('internal', `${method} ${path} answered with invalid JSON`, response.status, {
        body: text.slice(0, 200),
      });
    }
  }

  /** A raw exchange (artifacts): the caller reads the body; non-2xx answers are already thrown. */
  async send(method: string, path: string, options: SendOptions = {}): Promise<Response> {
    const { response } = await this.exchange(method, path, {
      ...options,
      timeout: options.timeout ?? 'headers',
    });
    return response;
  }

  private async exchange(
    method: string,
    path: string,
    options: SendOptions,
  ): Promise<{ response: Response; guard: <T>(p: Promise<T>) => Promise<T> }> {
    const scope = this.timeoutMs > 0 ? (options.timeout ?? 'full') : 'none';
    const controller = new AbortController();
    let timedOut = false;
    const timer =
      scope === 'none'
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, this.timeoutMs);
    const done = (): void => clearTimeout(timer);
    const guard = async <T>(p: Promise<T>): Promise<T> => {
      try {
        return await p;
      } catch (err) {
        throw this.networkError(err, timedOut, method, path);
      } finally {
        done();
      }
    };
    const init: RequestInit & { duplex?: 'half' } = {
      method,
      headers: { [USER_HEADER]: this.user, [PROJECT_HEADER]: this.project, ...options.headers },
      body: options.body,
      signal: controller.signal,
    };
    // Node's fetch streams a ReadableStream body only in half-duplex mode, and insists on being told so.
    if (typeof ReadableStream !== 'undefined' && options.body instanceof ReadableStream) init.duplex = 'half';
    let response: Response;
    try {
      response = await this.fetchImpl(this.urlFor(path, options.query), init);
    } catch (err) {
      done();
      throw this.networkError(err, timedOut, method, path);
    }
    if (scope !== 'full') done();
    if (!response.ok) throw await guard(errorFromResponse(response, method, path));
    return { response, guard };
  }

  urlFor(path: string, query?: Query): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(key, String(value));
    }
    const search = params.toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  private networkError(err: unknown, timedOut: boolean, method: string, path: string): CyclopsApiError {
    if (err instanceof CyclopsApiError) return err;
    if (timedOut) {
      return new CyclopsApiError(
        'unavailable',
        `${method} ${this.baseUrl}${path} timed out after ${this.timeoutMs} ms`,
        0,
        { timeout_ms: this.timeoutMs },
        { cause: err },
      );
    }
    return new CyclopsApiError(
      'unavailable',
      `no CyclOps server at ${this.baseUrl}: start one with \`cyclops up\` or set CYCLOPS_URL`,
      0,
      { url: this.baseUrl, cause: describeCause(err) },
      { cause: err },
    );
  }
}

async function errorFromResponse(response: Response, method: string, path: string): Promise<CyclopsApiError> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
    ?.error;
  if (error && typeof error.code === 'string') {
    const details = typeof error.details === 'object' && error.details !== null ? error.details : {};
    const message = typeof error.message === 'string' ? error.message : `${method} ${path} failed`;
    return new CyclopsApiError(error.code, message, response.status, details as Record<string, unknown>);
  }
  const snippet = text.trim().slice(0, 200);
  return new CyclopsApiError(
    codeForStatus(response.status),
    `${method} ${path} failed with HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`,
    response.status,
  );
}

/** Node's fetch hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function describeCause(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
