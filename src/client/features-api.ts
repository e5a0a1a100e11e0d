import type {
  ApplyRowsResponse,
  ApplyTransformRequest,
  FitTransformRequest,
  IngestResponse,
  ListTransformsQuery,
  Transform,
  TransformListResponse,
} from '../contracts/index.js';
import { API_PREFIX } from '../contracts/index.js';
import type { HttpClient } from './http.js';
import { paginate } from './paginate.js';

const BASE = `${API_PREFIX}/transforms`;

/** A row to transform: JSON values, dates and timestamps as ISO 8601 text. */
export type FeatureRow = Record<string, string | number | boolean | null>;

/** `client.features`: feature transforms fitted on a dataset version and applied to versions or rows. */
export class FeaturesApi {
  constructor(private readonly http: HttpClient) {}

  /** Fits `config` (impute, scale, one_hot, ... steps) on a dataset version and stores the spec. */
  async fit(request: FitTransformRequest): Promise<Transform> {
    return (await this.http.json<{ transform: Transform }>('POST', BASE, { body: request, timeout: 'none' }))
      .transform;
  }

  async get(id: number): Promise<Transform> {
    return (await this.http.json<{ transform: Transform }>('GET', `${BASE}/${id}`)).transform;
  }

  list(query: ListTransformsQuery = {}): Promise<TransformListResponse> {
    return this.http.json<TransformListResponse>('GET', BASE, { query: { ...query } });
  }

  /** Every transform (optionally of one dataset), pages fetched lazily. */
  listAll(query: Omit<ListTransformsQuery, 'page_token'> = {}): AsyncGenerator<Transform, void, undefined> {
    return paginate(async (pageToken) => {
      const page = await this.list({ ...query, page_token: pageToken });
      return { items: page.transforms, next: page.next_page_token };
    });
  }

  /** Transforms rows on the server with the engine online serving uses. */
  async applyRows(id: number, rows: FeatureRow[]): Promise<FeatureRow[]> {
    return (await this.http.json<ApplyRowsResponse>('POST', `${BASE}/${id}/rows`, { body: { rows } })).rows;
  }

  /** Transforms a whole dataset version; the result is a new version (of `into`) with lineage. */
  async apply(id: number, request: ApplyTransformRequest): Promise<IngestResponse> {
    return this.http.json<IngestResponse>('POST', `${BASE}/${id}/apply`, { body: request, timeout: 'none' });
  }
}
