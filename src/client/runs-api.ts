import type {
  CreateRunRequest,
  ListArtifactsResponse,
  MetricHistoryResponse,
  MetricInput,
  MetricValue,
  Param,
  Run,
  SearchRunsRequest,
  SearchRunsResponse,
  Tag,
  UpdateRunRequest,
} from '../contracts/index.js';
import { API_PREFIX, fromWireNumber, toWireNumber } from '../contracts/index.js';
import { encodeArtifactPath } from './artifact-path.js';
import type { HttpClient } from './http.js';
import { MetricLogger, type MetricLoggerOptions } from './metric-logger.js';
import { paginate } from './paginate.js';

const BASE = `${API_PREFIX}/runs`;

/** A metric to log: the value may be NaN or +-Infinity, it is encoded for the wire. */
export interface MetricToLog {
  key: string;
  value: number | MetricValue;
  timestamp?: number;
  step?: number;
}

export interface LogBatchInput {
  metrics?: MetricToLog[];
  params?: Param[];
  tags?: Tag[];
}

/** A point of a metric's history with its value as a number (NaN and +-Infinity restored). */
export interface MetricHistoryPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface MetricHistoryPage {
  metrics: MetricHistoryPoint[];
  next_page_token?: string;
}

export interface UploadedArtifact {
  path: string;
  file_size: number;
  sha256: string;
}

export type ArtifactBody = Blob | ArrayBuffer | Uint8Array | ReadableStream<Uint8Array> | string;

/** `client.runs`: runs, their metrics, params, tags and artifacts. */
export class RunsApi {
  constructor(private readonly http: HttpClient) {}

  async create(request: CreateRunRequest = {}): Promise<Run> {
    return (await this.http.json<{ run: Run }>('POST', BASE, { body: request })).run;
  }

  async get(runId: string): Promise<Run> {
    return (await this.http.json<{ run: Run }>('GET', runPath(runId))).run;
  }

  async update(runId: string, request: UpdateRunRequest): Promise<Run> {
    return (await this.http.json<{ run: Run }>('PATCH', runPath(runId), { body: request })).run;
  }

  async delete(runId: string): Promise<void> {
    await this.http.json('DELETE', runPath(runId));
  }

  async restore(runId: string): Promise<void> {
    await this.http.json('POST', `${runPath(runId)}/restore`);
  }

  /** One page; pass `next_page_token` back as `page_token` for the next one. */
  search(request: SearchRunsRequest = {}): Promise<SearchRunsResponse> {
    return this.http.json<SearchRunsResponse>('POST', `${BASE}/search`, { body: request });
  }

  /** Every matching run, fetching the pages lazily as the loop goes on. */
  searchAll(request: Omit<SearchRunsRequest, 'page_token'> = {}): AsyncGenerator<Run, void, undefined> {
    return paginate(async (pageToken) => {
      const page = await this.search({ ...request, page_token: pageToken });
      return { items: page.runs, next: page.next_page_token };
    });
  }

  async logMetric(
    runId: string,
    key: string,
    value: number,
    options: { step?: number; timestamp?: number } = {},
  ): Promise<void> {
    const body: MetricInput = { key, value: toWireNumber(value), ...options };
    await this.http.json('POST', `${runPath(runId)}/metrics`, { body });
  }

  async logParam(runId: string, key: string, value: string): Promise<void> {
    await this.http.json('POST', `${runPath(runId)}/params`, { body: { key, value } });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.http.json('PUT', `${runPath(runId)}/tags`, { query: { key }, body: { value } });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.http.json('DELETE', `${runPath(runId)}/tags`, { query: { key } });
  }

  /** All or nothing, at most 1000 metrics, 100 params and 100 tags: use metricLogger() for streams. */
  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    const metrics = batch.metrics?.map(
      (m): MetricInput => ({ ...m, value: typeof m.value === 'number' ? toWireNumber(m.value) : m.value }),
    );
    await this.http.json('POST', `${runPath(runId)}/batch`, {
      body: { metrics, params: batch.params, tags: batch.tags },
    });
  }

  /** A buffered, batching logger for many points; close() it (or flushOnExit) when done. */
  metricLogger(runId: string, options?: MetricLoggerOptions): MetricLogger {
    return new MetricLogger((metrics) => this.logBatch(runId, { metrics }), options);
  }

  async getMetricHistory(
    runId: string,
    key: string,
    options: { max_results?: number; page_token?: string } = {},
  ): Promise<MetricHistoryPage> {
    const page = await this.http.json<MetricHistoryResponse>('GET', `${runPath(runId)}/metrics/history`, {
      query: { key, ...options },
    });
    const metrics = page.metrics.map((m) => ({ ...m, value: fromWireNumber(m.value) }));
    return page.next_page_token === undefined
      ? { metrics }
      : { metrics, next_page_token: page.next_page_token };
  }

  /** Lists one directory of the run's artifacts (the root when `path` is omitted). */
  listArtifacts(runId: string, path?: string): Promise<ListArtifactsResponse> {
    return this.http.json<ListArtifactsResponse>('GET', `${runPath(runId)}/artifacts`, { query: { path } });
  }

  /** Streams `body` to the artifact store; a ReadableStream is sent without buffering it. */
  async uploadArtifact(runId: string, path: string, body: ArtifactBody): Promise<UploadedArtifact> {
    const res = await this.http.send('PUT', artifactPath(runId, path), {
      // Uint8Array<SharedArrayBuffer> is not a BodyInit to TypeScript, but fetch sends any Uint8Array.
      body: body as BodyInit,
      headers: { 'content-type': 'application/octet-stream' },
      timeout: 'none',
    });
    return (await res.json()) as UploadedArtifact;
  }

  /** The artifact's response: read it as `.arrayBuffer()`, `.text()` or stream `.body`. */
  downloadArtifact(runId: string, path: string): Promise<Response> {
    return this.http.send('GET', artifactPath(runId, path));
  }
}

function runPath(runId: string): string {
  return `${BASE}/${encodeURIComponent(runId)}`;
}

function artifactPath(runId: string, path: string): string {
  return `${runPath(runId)}/artifacts/${encodeArtifactPath(path)}`;
}
